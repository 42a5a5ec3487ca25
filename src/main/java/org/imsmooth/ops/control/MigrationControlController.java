package org.imsmooth.ops.control;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's control API (README "Operating the service"):
 * <pre>
 * POST /api/migration/{start|pause|resume}                    every stage
 * POST /api/migration/stages/{stage}/{start|pause|resume}     one stage
 * GET  /api/migration/stages/{stage}/dlq?limit=100            dead letters, oldest first
 * POST /api/migration/stages/{stage}/dlq/replay               all, {"messageIds": ["ID:..."]} or {"sourceIds": ["42"]}
 * </pre>
 */
@RestController
public class MigrationControlController {

    /** Optional body of a replay: the JMS message ids, or the records' source ids, to replay (all when absent or empty). */
    public record ReplayRequest(List<String> messageIds, List<String> sourceIds) {
    }

    private final MigrationControl control;
    private final StagePauseStore pauses;
    private final DeadLetterReplay deadLetters;

    public MigrationControlController(MigrationControl control, StagePauseStore pauses, DeadLetterReplay deadLetters) {
        this.control = control;
        this.pauses = pauses;
        this.deadLetters = deadLetters;
    }

    @PostMapping("/api/migration/{action:start|pause|resume}")
    public Map<String, Object> all(@PathVariable String action, Principal operator) {
        return act(action, null, operator);
    }

    @PostMapping("/api/migration/stages/{stage}/{action:start|pause|resume}")
    public Map<String, Object> one(@PathVariable String stage, @PathVariable String action, Principal operator) {
        return act(action, stage, operator);
    }

    @GetMapping("/api/migration/stages/{stage}/dlq")
    public Map<String, Object> deadLetters(@PathVariable String stage, @RequestParam(defaultValue = "100") int limit)
            throws JMSException {
        control.stages(stage);
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000, was " + limit);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stage", stage);
        body.put("deadLetters", deadLetters.list(stage, limit));
        return body;
    }

    @PostMapping("/api/migration/stages/{stage}/dlq/replay")
    public Map<String, Object> replay(@PathVariable String stage, @RequestBody(required = false) ReplayRequest request)
            throws JMSException {
        control.stages(stage);
        DeadLetterReplay.Replayed replayed = deadLetters.replay(stage,
                request == null ? null : request.messageIds(), request == null ? null : request.sourceIds());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stage", stage);
        body.put("replayedMessages", replayed.messages());
        body.put("replayedRecords", replayed.records());
        body.put("notFound", replayed.notFound());
        return body;
    }

    private Map<String, Object> act(String action, String stage, Principal operator) {
        List<String> stages = control.stages(stage);
        String who = operator == null ? "unknown" : operator.getName();
        switch (action) {
            case "start" -> control.start(stages, who);
            case "pause" -> control.pause(stages, who);
            default -> control.resume(stages, who);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action);
        body.put("stages", stages);
        body.put("importStarted", control.importStarted());
        body.put("paused", pauses.paused());
        return body;
    }

    @ExceptionHandler(MigrationControl.UnknownStageException.class)
    ResponseEntity<Map<String, String>> unknownStage(MigrationControl.UnknownStageException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** A body that is no JSON object of id lists (malformed JSON, a string where a list belongs). */
    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadableBody(org.springframework.http.converter.HttpMessageNotReadableException e) {
        return ResponseEntity.badRequest().body(Map.of("error",
                "the body must be a JSON object like {\"messageIds\": [\"ID:...\"]} or {\"sourceIds\": [\"42\"]}"));
    }

    @ExceptionHandler(JMSException.class)
    ResponseEntity<Map<String, String>> brokerFailed(JMSException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("error", "the broker did not answer: " + e.getMessage()));
    }
}
