package org.imsmooth.ops.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.imsmooth.im.api.ImApi;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The import's stage plan as the service runs it ({@code migration.stages} in application.yml) and
 * the IM API each stage calls, so the benchmark can match sandbox call counters to stages.
 */
final class StagePlan {

    /** Each import stage's IM API (README "The historical import"). */
    static final Map<String, ImApi> API_OF_STAGE = apis();

    private StagePlan() {
    }

    /** stage -> stages it waits for, read from the packaged application.yml. */
    static Map<String, List<String>> load() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(source -> environment.getPropertySources().addLast(source));
        Binder binder = new Binder(ConfigurationPropertySources.get(environment));
        ResolvableType type = ResolvableType.forClassWithGenerics(Map.class, ResolvableType.forClass(String.class),
                ResolvableType.forClassWithGenerics(List.class, String.class));
        Map<String, List<String>> plan = binder.<Map<String, List<String>>>bind("migration.stages", Bindable.of(type))
                .orElseThrow(() -> new IllegalStateException("application.yml has no migration.stages"));
        return new LinkedHashMap<>(plan);
    }

    private static Map<String, ImApi> apis() {
        Map<String, ImApi> m = new LinkedHashMap<>();
        m.put("accounts", ImApi.MULTIACCOUNT_IMPORT);
        m.put("profiles", ImApi.PORTRAIT_SET);
        m.put("friends", ImApi.FRIEND_IMPORT);
        m.put("c2c-messages", ImApi.IMPORT_MSG);
        m.put("c2c-read-marks", ImApi.ADMIN_SET_MSG_READ);
        m.put("groups", ImApi.IMPORT_GROUP);
        m.put("group-members", ImApi.IMPORT_GROUP_MEMBER);
        m.put("group-messages", ImApi.IMPORT_GROUP_MSG);
        m.put("group-unread", ImApi.SET_UNREAD_MSG_NUM);
        return m;
    }
}
