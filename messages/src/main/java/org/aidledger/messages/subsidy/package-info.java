/**
 * Messages of interest-subsidised loans: a partner credit union lends its own money and the
 * union pays all or a share of the interest out of its reserve at that partner.
 */
package org.aidledger.messages.subsidy;
