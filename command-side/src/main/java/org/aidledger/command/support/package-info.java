/** What every command passes through: the acting user, idempotency and refusal accounting. */
package org.aidledger.command.support;
