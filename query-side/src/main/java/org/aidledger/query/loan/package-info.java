/** Loan portfolio reports: arrears aging and portfolio at risk, as of any date. */
package org.aidledger.query.loan;
