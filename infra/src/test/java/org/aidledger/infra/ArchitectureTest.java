package org.aidledger.infra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the module boundaries the design asks for. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.aidledger");

    @Test
    void sharedMessagesStayPlain() {
        noClasses().that().resideInAPackage("org.aidledger.messages..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..",
                        "jakarta.persistence..", "org.axonframework.eventsourcing..",
                        "org.axonframework.config..", "org.aidledger.command..",
                        "org.aidledger.query..", "org.aidledger.infra..")
                .check(classes);
    }

    @Test
    void commandSideDoesNotReadProjections() {
        noClasses().that().resideInAPackage("org.aidledger.command..")
                .should().dependOnClassesThat().resideInAnyPackage("org.aidledger.query..",
                        "org.aidledger.infra..")
                .check(classes);
    }

    @Test
    void querySideDoesNotIssueCommands() {
        noClasses().that().resideInAPackage("org.aidledger.query..")
                .should().dependOnClassesThat().resideInAnyPackage("org.aidledger.command..",
                        "org.aidledger.infra..", "org.axonframework.commandhandling.gateway..")
                .check(classes);
    }
}
