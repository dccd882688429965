package org.aidledger.command.support;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

/**
 * Axon's annotation-based target resolution with the annotated member found once per command
 * class instead of searched for on every command: the search, mostly for a
 * {@code @TargetAggregateVersion} none of the ledger's commands has, took 9 % of the command
 * writer's time under W1. A class with a version member, or whose identifier is missing, is left
 * to Axon's resolver, so the answers and refusals are Axon's.
 */
public class CachedCommandTargetResolver implements CommandTargetResolver {

    private final CommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    private final ClassValue<Optional<AccessibleObject>> identifiers = new ClassValue<>() {
        @Override
        protected Optional<AccessibleObject> computeValue(Class<?> type) {
            return identifierOf(type);
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Object payload = command.getPayload();
        Optional<AccessibleObject> member = identifiers.get(command.getPayloadType());
        if (payload == null || member.isEmpty()) {
            return axon.resolveTarget(command);
        }
        Object id;
        try {
            id = member.get() instanceof Method m ? m.invoke(payload)
                    : ((Field) member.get()).get(payload);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return axon.resolveTarget(command);
        }
        return id == null ? axon.resolveTarget(command)
                : new VersionedAggregateIdentifier(id.toString(), null);
    }

    /** The one member annotated as the target's identifier, when nothing names a version. */
    private static Optional<AccessibleObject> identifierOf(Class<?> type) {
        AccessibleObject found = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(TargetAggregateVersion.class)) {
                    return Optional.empty();
                }
                if (f.isAnnotationPresent(TargetAggregateIdentifier.class) && found == null) {
                    found = f;
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(TargetAggregateVersion.class)) {
                    return Optional.empty();
                }
                if (m.isAnnotationPresent(TargetAggregateIdentifier.class)
                        && m.getParameterCount() == 0 && found == null) {
                    found = m;
                }
            }
        }
        if (found == null || !found.trySetAccessible()) {
            return Optional.empty();
        }
        return Optional.of(found);
    }
}
