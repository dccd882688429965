/**
 * Loan repayment schedules: plain arithmetic in exact minor units, no framework. One rounding
 * rule, documented on {@link org.aidledger.command.loan.schedule.ScheduleCalculator}.
 */
package org.aidledger.command.loan.schedule;
