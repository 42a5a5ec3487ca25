package org.imsmooth.pipeline;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Lets the import stage's route templates ({@code routes/import-stage.camel.yaml}) keep the step ids the
 * stages always had ({@code batch-<stage>}, {@code send-<stage>-batch}, {@code call-<api>},
 * {@code dead-letter-refused-<stage>}): Camel checks a templated route's ids for duplicates before it
 * resolves their {@code {{parameters}}}, so the second stage made from a template would clash with the
 * first on {@code batch-{{stage}}}. This converter fills in the template parameters of the route id and
 * every step id as the route is made; the stage's {@code templatedRoute} sets {@code prefixId: ""} so
 * that Camel adds no prefix of its own.
 */
@Component
public class ImportStageTemplates implements BeanPostProcessor {

    /** Templates whose ids this converter resolves. */
    static final String TEMPLATES = "import-stage-*";
    private static final Pattern PARAMETER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)}}");

    /** Registered as the CamelContext is made: the YAML routes are loaded before any CamelContextConfiguration runs. */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof CamelContext camelContext) {
            register(camelContext);
        }
        return bean;
    }

    static void register(CamelContext camelContext) {
        camelContext.getCamelContextExtension().getContextPlugin(Model.class)
                .addRouteTemplateDefinitionConverter(TEMPLATES, ImportStageTemplates::withResolvedIds);
    }

    static RouteDefinition withResolvedIds(RouteTemplateDefinition template, Map<String, Object> parameters)
            throws Exception {
        RouteDefinition route = RouteTemplateDefinition.Converter.DEFAULT_CONVERTER.apply(template, parameters);
        // Camel's own conversion leaves the template's route id out (a templatedRoute without routeId got none)
        String routeId = route.getId() != null ? route.getId() : template.getRoute().getId();
        if (routeId != null) {
            route.setId(resolve(routeId, parameters));
        }
        for (ProcessorDefinition<?> step : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(),
                ProcessorDefinition.class)) {
            if (step.getId() != null && step.getId().contains("{{")) {
                step.setId(resolve(step.getId(), parameters));
            }
        }
        return route;
    }

    static String resolve(String id, Map<String, Object> parameters) {
        Matcher m = PARAMETER.matcher(id);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = parameters.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("Template parameter " + m.group(1) + " of id " + id + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
