package org.imsmooth.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Runs before every in-process redelivery (error-handling.camel.yaml {@code onRedeliveryRef}) so that each
 * rate-limit answer slows the API's throttle at once, not only after the retries are exhausted.
 */
@Component("rateLimitFeedback")
public class RateLimitFeedback implements Processor {

    private final ApiQuotas quotas;

    public RateLimitFeedback(ApiQuotas quotas) {
        this.quotas = quotas;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        quotas.onFailure(failure);
    }
}
