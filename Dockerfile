# The service image. Build the jar first (mvn -B package -DskipTests): the image copies it rather than
# building inside Docker, so it is exactly the jar the tests ran against.
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --uid 1001 imsmooth && mkdir -p /app/data && chown imsmooth /app/data
COPY target/im-migration.jar /app/im-migration.jar
# Routes and mappings are read from the working directory (file:routes/*.yaml), so they can be
# edited, or mounted over, without rebuilding the jar.
COPY routes /app/routes
COPY samples /app/samples
USER imsmooth
# 8080: the service (or 9090 when started as "sandbox --server.port=9090")
EXPOSE 8080 9090
# The throughput collector and the client compiler only: on small heaps and few cores G1's own work and
# C2's compilations took the CPU the quota-bound import needs; and the heap at its full size from the start
# (initial = the default maximum, a quarter of the container's memory), so the old generation does not fill
# early and stop the import for a full collection (README "JVM settings"). Override freely.
ENV JDK_JAVA_OPTIONS="-XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:InitialRAMPercentage=25"
ENTRYPOINT ["java", "-jar", "/app/im-migration.jar"]
