# One image recipe for every replog service; the build argument SERVICE picks which one
# (master-service, secondary-service, faulty-secondary or sync-service) and PORT its port.
# docker-compose.yml passes both; by hand, from the repository root:
#   docker build --build-arg SERVICE=master-service --build-arg PORT=8080 -t replog/master-service .
# A sync-service node also needs REPLOG_NODE_NAME, REPLOG_SYNC_PEERS (all three URLs, same order
# everywhere) and REPLOG_SYNC_NODE_ID (its 1-based position in that list) at run time.

# --- build: all four services at once, with the project's Maven wrapper ---
# Nothing above the ARG below depends on SERVICE, so Docker runs this Maven build once and every
# service's image takes its jar from the cached stage (four builds of the same sources before).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN chmod +x mvnw \
 && ./mvnw -B -q -DskipTests -pl master-service,secondary-service,faulty-secondary,sync-service -am package
ARG SERVICE
# Split the service's jar into layers (libraries, loader, snapshot modules, application) so that a
# code change rebuilds only the last layers of the image. Without --launcher: the application layer
# holds app.jar, whose manifest names the libraries in lib/, so that `java -jar app.jar` loads every
# class with the JVM's own class loaders, which a class-data archive can hold (see the run stage).
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<module>" >&2; exit 1; } \
 && cp "$SERVICE"/target/"$SERVICE"-*-exec.jar /app.jar \
 && java -Djarmode=tools -jar /app.jar extract --layers --destination /extracted

# --- run ---
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system replog \
 && useradd --system --gid replog --home-dir /app --shell /usr/sbin/nologin replog \
 && mkdir -p /data \
 && chown replog:replog /data
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseParallelGC"
# An AppCDS archive of the classes a start loads, made by one training run with this image's own JVM
# (an archive only works with the JVM build that wrote it): the context is built and the run ends
# (spring.context.exit=onRefresh), the JVM writes the archive as it exits. Every start then maps
# those classes instead of loading and verifying them: a restarted master, e.g. one that stepped
# down and exited 75, is a standby again sooner. Unlike bin/cluster's training, this one serves no
# writes (an image build runs one service), so the write path's classes are not in it.
RUN java $JAVA_OPTS -XX:ArchiveClassesAtExit=/app/app.jsa -Dspring.context.exit=onRefresh -jar /app/app.jar \
      --server.port=0 --server.address=127.0.0.1 --replog.node-name=training --replog.data-dir=/tmp/training \
      >/tmp/training.log 2>&1 \
 || { tail -n 40 /tmp/training.log >&2; rm -f /app/app.jsa; echo "no class-data archive; starting without" >&2; } ; \
    rm -rf /tmp/training /tmp/training.log; chmod a+r /app/app.jsa 2>/dev/null || true
USER replog
ARG PORT=8080
ENV SERVER_PORT=${PORT} \
    REPLOG_DATA_DIR=/data
VOLUME /data
EXPOSE ${PORT}
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=5 \
  CMD curl -fsS "http://localhost:${SERVER_PORT}/actuator/health" || exit 1
# exec: java is PID 1 and gets SIGTERM for a graceful shutdown. Without /app/app.jsa (the training
# failed) the JVM starts without class sharing, silently.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -XX:SharedArchiveFile=/app/app.jsa -jar /app/app.jar \"$@\"", "--"]
