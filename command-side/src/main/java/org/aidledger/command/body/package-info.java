/** Union bodies: the tree of federations and unions that own funds. */
package org.aidledger.command.body;
