package org.aidledger.messages.body;

/** The levels of the union tree, from the provincial federation down to a union group. */
public enum UnionLevel {
    PROVINCIAL,
    CITY,
    COUNTY,
    GRASSROOTS,
    GROUP;

    /** A parent sits strictly above its child in the tree. */
    public boolean isAbove(UnionLevel child) {
        return ordinal() < child.ordinal();
    }
}
