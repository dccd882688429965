/** Operating the projections: rebuilding them from the events and waiting for them to catch up. */
package org.aidledger.query.admin;
