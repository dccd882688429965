/** The REST query API: balances, trial balance, journal and payouts, for every role. */
package org.aidledger.query.api;
