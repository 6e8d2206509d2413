# Release build of Candour in a small runtime image, run as a non-root user.
FROM rust:1-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release --locked && strip target/release/candour

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --create-home candour \
    && install -d -o candour -g candour -m 0700 /app/data
WORKDIR /app
COPY --from=build /src/target/release/candour /usr/local/bin/candour
COPY --from=build /src/config/questionnaires /app/config/questionnaires
USER candour
ENV CANDOUR_SERVER__BIND=0.0.0.0:8080
# What the start-up hints tell people to type to run a command in this container.
ENV CANDOUR_COMMAND="docker compose exec app candour"
EXPOSE 8080
ENTRYPOINT ["candour"]
CMD ["serve"]
