/**
 * Tamper evidence: every appended event is linked into a hash chain in the transaction that
 * appends it, and the chain can be verified from the database alone.
 */
package org.aidledger.infra.audit;
