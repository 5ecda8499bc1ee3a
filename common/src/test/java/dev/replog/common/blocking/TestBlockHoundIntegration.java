package dev.replog.common.blocking;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets pass in the tests of the modules that run it (master-service and
 * secondary-service, which take this class and its service file from this module's test jar):
 * writing log lines (the test's console is a
 * blocking stream; production logging is the operator's choice) and springdoc building the OpenAPI
 * document, once, on the first {@code /v3/api-docs} request (it scans class files on the event loop;
 * {@code springdoc.pre-loading-enabled} would move that to start-up, at a cost in start time); Spring
 * serving Swagger UI's static files from their jar; Netty's adaptive buffer allocator, which briefly
 * takes a lock when it grows; and Jackson creating a (de)serializer the first time a type is
 * seen. Everything else that blocks on a non-blocking thread fails the call that made it.
 */
public final class TestBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
                .allowBlockingCallsInside("org.springdoc.api.AbstractOpenApiResource", "getOpenApi")
                .allowBlockingCallsInside("org.springframework.web.reactive.resource.PathResourceResolver", "getResource")
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
                .allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer")
                .allowBlockingCallsInside("tools.jackson.databind.ser.SerializerCache", "addAndResolveNonTypedSerializer");
    }
}
