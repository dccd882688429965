/** What partner credit unions read: the subsidised loans they serve, reserves and subsidies. */
package org.aidledger.query.partner;
