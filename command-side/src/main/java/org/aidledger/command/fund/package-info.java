/**
 * Funds: the aggregate that owns a fund's cash, commitments, reserves at partners and hardship
 * payouts, and refuses anything that would overdraw them or skip the maker-checker rule.
 */
package org.aidledger.command.fund;
