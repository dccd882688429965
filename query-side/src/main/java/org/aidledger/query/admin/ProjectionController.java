package org.aidledger.query.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lets an ADMIN rebuild the read models and anyone signed in see where projections stand. */
@RestController
@RequestMapping(path = "/api/v1/admin/projections",
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "projections", description = "Rebuild read models from the events")
public class ProjectionController {

    /** How long a rebuild request waits for the projections to catch up before answering. */
    private static final Duration REBUILD_WAIT = Duration.ofMinutes(10);

    private final Projections projections;

    public ProjectionController(Projections projections) {
        this.projections = projections;
    }

    @GetMapping
    @Operation(summary = "Each projection's position in the event log")
    public Map<String, Long> positions() {
        Map<String, Long> out = new LinkedHashMap<>();
        Projections.GROUPS.forEach(g -> out.put(g, projections.position(g)));
        return out;
    }

    @PostMapping("/rebuild")
    @Operation(summary = "Empty every read model and replay all events into it (ADMIN)")
    public Map<String, Long> rebuild() {
        projections.rebuild(REBUILD_WAIT);
        return positions();
    }
}
