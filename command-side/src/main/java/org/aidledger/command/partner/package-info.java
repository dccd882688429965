/** Partner credit unions, at which funds deposit subsidy reserves. */
package org.aidledger.command.partner;
