package org.imsmooth.pipeline.failure;

import java.time.Instant;
import java.util.UUID;

import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.imsmooth.broker.BrokerProperties;
import org.springframework.stereotype.Component;

/**
 * Shared block: sends the single failed items of a batch (body: {@code List<DeadLetterItem>}) to
 * the DLQ of the work queue named by exchange property {@code ImWorkQueue}, one message each, with
 * the same headers as whole-message dead letters. Runs inside the caller's JMS transaction.
 */
@Component
public class DeadLetterItemsRoute extends RouteBuilder {

    public static final String WORK_QUEUE = "ImWorkQueue";

    @Override
    public void configure() {
        from("direct:dead-letter-items").routeId("dead-letter-items")
                .split(body())
                    .process(exchange -> {
                        DeadLetterItem item = exchange.getMessage().getBody(DeadLetterItem.class);
                        String workQueue = exchange.getProperty(WORK_QUEUE, String.class);
                        var message = exchange.getMessage();
                        Integer deliveries = message.getHeader(DeadLetterPolicy.DELIVERY_COUNT, Integer.class);
                        message.removeHeaders("*", DeadLetterHeaders.SOURCE_KIND);
                        message.setHeader(DeadLetterHeaders.SOURCE_ID, item.sourceId());
                        if (DeadLetterHeaders.importStageOf(workQueue) != null) {
                            message.setHeader(DeadLetterHeaders.SOURCE_KIND, DeadLetterHeaders.importStageOf(workQueue));
                        }
                        if (deliveries != null) {
                            message.setHeader(DeadLetterHeaders.DELIVERY_ATTEMPTS, deliveries);
                        }
                        Integer code = item.errorCode() != null ? item.errorCode() : DeadLetterHeaders.imErrorCodeIn(item.reason());
                        if (code != null) {
                            message.setHeader(DeadLetterHeaders.ERROR_CODE, code);
                        }
                        message.setHeader(DeadLetterHeaders.REASON, item.reason());
                        message.setHeader(DeadLetterHeaders.FAILED_ROUTE, exchange.getFromRouteId());
                        message.setHeader(DeadLetterHeaders.FAILED_AT, Instant.now().toString());
                        // a fresh batch id, so a retried item is not mistaken for the batch already processed
                        message.setHeader(DeadLetterPolicy.BATCH_ID, "dlq-" + UUID.randomUUID());
                        message.setHeader(DeadLetterPolicy.ARTEMIS_ORIGINAL_ADDRESS, workQueue);
                        message.setHeader(DeadLetterPolicy.ARTEMIS_ORIGINAL_QUEUE, workQueue);
                        message.setHeader(DeadLetterHeaders.DEAD_LETTER_QUEUE, BrokerProperties.deadLetterQueueOf(workQueue));
                        message.setBody(item.body());
                    })
                    .setExchangePattern(ExchangePattern.InOnly)
                    .log(org.apache.camel.LoggingLevel.WARN, "migration.dead-letters",
                            "${header." + DeadLetterHeaders.DEAD_LETTER_QUEUE + "}: ${header." + DeadLetterHeaders.SOURCE_ID
                                    + "} rejected: ${header." + DeadLetterHeaders.REASON + "}")
                    .toD("jms:queue:${header." + DeadLetterHeaders.DEAD_LETTER_QUEUE + "}").id("dead-letter-item-send")
                .end();
    }
}
