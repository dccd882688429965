/**
 * The double-entry journal: every financial event becomes one balanced entry on its fund's
 * accounts, and account balances, payouts and commitments are kept beside it.
 */
package org.aidledger.query.journal;
