/**
 * The messages both sides of Aid Ledger share: commands, events, {@link
 * org.aidledger.messages.money.Money} and the named rules a refusal cites. Plain records and value
 * types only; Axon appears here as annotations, never as infrastructure.
 */
package org.aidledger.messages;
