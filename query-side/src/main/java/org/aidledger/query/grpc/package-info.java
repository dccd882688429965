/** The gRPC services for partners and union systems, and the server that hosts them. */
package org.aidledger.query.grpc;
