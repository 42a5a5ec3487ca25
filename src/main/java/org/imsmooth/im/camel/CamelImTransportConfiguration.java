package org.imsmooth.im.camel;

import org.apache.camel.CamelContext;
import org.imsmooth.im.ImEndpoint;
import org.imsmooth.im.ImProperties;
import org.imsmooth.im.ImQueryString;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** IM calls through Camel's HTTP component, one route per API. */
@Configuration(proxyBeanMethods = false)
public class CamelImTransportConfiguration {

    @Bean(CamelImHttp.USERSIG_QUERY_BEAN)
    public ImUserSigQuery imUserSigQuery(ImQueryString imQueryString) {
        return new ImUserSigQuery(imQueryString);
    }

    @Bean
    public CamelImHttp camelImHttp(CamelContext camelContext, ImProperties properties, ImEndpoint imEndpoint,
                                   ImQueryString imQueryString, ImUserSigQuery imUserSigQuery) {
        return new CamelImHttp(camelContext, properties, imEndpoint, imQueryString, imUserSigQuery);
    }

    /** The API routes in Hawtio from the start, not only after the first call (when IM's address is known). */
    @Bean
    public ApplicationListener<ApplicationReadyEvent> imApiRoutesAtStart(CamelImHttp camelImHttp) {
        return event -> camelImHttp.addRoutesIfAddressKnown();
    }
}
