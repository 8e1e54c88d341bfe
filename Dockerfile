# syntax=docker/dockerfile:1
# e-Office backend: multi-stage build on Debian 12 (bookworm) slim.

FROM debian:12-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config ca-certificates \
        libulfius-dev libmicrohttpd-dev libjansson-dev libpq-dev libssl-dev liboath-dev \
        libqrencode-dev libpng-dev libjpeg62-turbo-dev libsodium-dev libcurl4-gnutls-dev \
        libhpdf-dev libxlsxwriter-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Migrations, demo seed and openapi.yaml are embedded in the binary.
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target eoffice -j"$(nproc)" \
 && strip /build/eoffice

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libulfius2.7 libjansson4 libpq5 libssl3 liboath0 libqrencode4 \
        libpng16-16 libjpeg62-turbo libsodium23 libcurl3-gnutls ca-certificates curl \
        libhpdf-2.3.0 libxlsxwriter4 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/eoffice --create-home \
        --shell /usr/sbin/nologin eoffice \
 && mkdir -p /var/lib/eoffice/photos \
 && chown -R eoffice:eoffice /var/lib/eoffice
COPY --from=build /build/eoffice /usr/local/bin/eoffice
USER eoffice
WORKDIR /var/lib/eoffice
ENV EOFFICE_BIND=0.0.0.0 \
    EOFFICE_STORAGE_DIR=/var/lib/eoffice/photos
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["eoffice"]
CMD ["serve"]
