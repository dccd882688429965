/** Reads over the read models, shared by the REST query API and the gRPC services. */
package org.aidledger.query.read;
