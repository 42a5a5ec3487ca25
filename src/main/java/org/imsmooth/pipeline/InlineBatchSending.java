package org.imsmooth.pipeline;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.springframework.stereotype.Component;

/**
 * The readers' aggregators send completed batches on the reader's own thread
 * ({@code executorService: inlineBatchSender}). Camel's default is a separate aggregator thread,
 * which lets the reader commit its cursor while batches still wait in that thread's queue: a crash
 * then loses them. Inline, a page's cursor moves only after every batch of the page is on the broker.
 * Bound in Camel's registry only: a Spring ExecutorService bean would replace Boot's task executor.
 */
@Component
public class InlineBatchSending implements CamelContextConfiguration {

    public static final String NAME = "inlineBatchSender";

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getRegistry().bind(NAME, new SynchronousExecutorService());
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }
}
