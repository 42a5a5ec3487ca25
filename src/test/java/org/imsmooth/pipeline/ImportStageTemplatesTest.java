package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** Stages made from routes/import-stage.camel.yaml keep their route and step ids, stage after stage. */
class ImportStageTemplatesTest {

    @Test
    void everyStageFromTheTemplateKeepsItsRouteAndStepIds() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            new ImportStageTemplates().postProcessAfterInitialization(camel, "camelContext");
            for (String file : List.of("import-stage", "import-accounts", "import-friends", "import-group-unread")) {
                Path path = Path.of("routes", file + ".camel.yaml");
                PluginHelper.getRoutesLoader(camel).loadRoutes(
                        ResourceHelper.fromString(path.getFileName().toString(), Files.readString(path)));
            }
            ModelCamelContext model = (ModelCamelContext) camel;
            assertThat(stepIds(model.getRouteDefinition("import-accounts-read")))
                    .contains("batch-accounts", "send-accounts-batch");
            assertThat(stepIds(model.getRouteDefinition("import-accounts")))
                    .contains("call-multiaccount-import", "dead-letter-refused-accounts");
            assertThat(stepIds(model.getRouteDefinition("import-friends-read")))
                    .contains("batch-friends", "send-friends-batch");
            assertThat(stepIds(model.getRouteDefinition("import-friends")))
                    .contains("call-friend-import", "dead-letter-refused-friends");
            assertThat(stepIds(model.getRouteDefinition("import-group-unread")))
                    .contains("call-set-unread-msg-num", "dead-letter-refused-group-unread");
            // every worker tells the orchestrator of each message it finished (a draining stage's end)
            for (String worker : List.of("import-accounts", "import-friends", "import-group-unread")) {
                assertThat(model.getRouteDefinition(worker).getRoutePolicyRef()).as(worker).isEqualTo("workerDoneSignal");
            }
            assertThat(model.getRouteDefinition("import-accounts-read").getRoutePolicyRef()).isNull();
        }
    }

    private static List<String> stepIds(RouteDefinition route) {
        assertThat(route).isNotNull();
        List<String> ids = new ArrayList<>();
        for (ProcessorDefinition<?> step : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(),
                ProcessorDefinition.class)) {
            ids.add(step.getId());
        }
        return ids;
    }
}
