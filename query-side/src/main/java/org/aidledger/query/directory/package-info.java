/** The directory of union bodies, partners and funds, as read models. */
package org.aidledger.query.directory;
