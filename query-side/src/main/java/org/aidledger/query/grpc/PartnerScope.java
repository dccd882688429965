package org.aidledger.query.grpc;

/**
 * Decides whether the caller may read a partner's data. Until partner authentication lands every
 * caller may; then an implementation reads the caller's partner from the gRPC Context and throws
 * PERMISSION_DENIED for any other partner, without the services changing.
 */
@FunctionalInterface
public interface PartnerScope {

    PartnerScope ANY_CALLER = partnerId -> { };

    void check(String partnerId);
}
