/** Messages of direct microloans made from a fund: application to closing. */
package org.aidledger.messages.loan;
