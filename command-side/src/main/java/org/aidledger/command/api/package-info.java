/** The REST command API for administrators and approvers. */
package org.aidledger.command.api;
