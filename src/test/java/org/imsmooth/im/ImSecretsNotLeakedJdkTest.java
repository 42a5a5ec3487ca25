package org.imsmooth.im;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ImSecretsNotLeakedTest} on the JDK's HttpClient ({@code im.transport=jdk}). */
@TestPropertySource(properties = "im.transport=jdk")
class ImSecretsNotLeakedJdkTest extends ImSecretsNotLeakedTest {

    @Override
    String transportName() {
        return "jdk";
    }

    @Override
    void assertNoUrlWithQuery(String log) {
        super.assertNoUrlWithQuery(log);
        assertThat(log).doesNotContain(IM.baseUrl() + "/v4"); // no full URL either
    }
}
