package org.imsmooth.im.contract;

import org.springframework.test.context.TestPropertySource;

/** {@link TransportContractTest} with the client on the JDK's HttpClient ({@code im.transport=jdk}). */
@TestPropertySource(properties = "im.transport=jdk")
class TransportContractJdkTest extends TransportContractTest {
}
