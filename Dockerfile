# challenge-conformance on Debian 12: builds the tools and installs them into /usr/local, with the
# vector files, the traceability file, the docs and the Python example shim.
#
#   docker build -t challenge-conformance .
#   docker run --rm --network host challenge-conformance \
#     pnc-conformance run --target challenge --url ws://127.0.0.1:10000 --report-dir /reports
#   docker run --rm -v "$PWD:/sdk" challenge-conformance \
#     pnc-conformance run --target shim --cmd 'python3 /sdk/my_shim.py' --profile sdk-compat

FROM debian:12 AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config python3 \
      libsodium-dev libssl-dev nlohmann-json3-dev libboost1.81-dev libcli11-dev \
      libbenchmark-dev librapidcheck-dev \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPNC_BUILD_TESTS=OFF \
    && cmake --build /build --target pnc-conformance pnc-ref-challenge pnc-ref-validator pnc-ref-shim \
                                      pnc-mock-tdx pnc-bench \
    && cmake --install /build --prefix /opt/pnc --strip

FROM debian:12-slim
# Run-time libraries of the tools, and python3 with PyNaCl + cryptography for the example shim.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsodium23 libssl3 python3 python3-nacl python3-cryptography \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/pnc/ /usr/local/
# Reports go to a volume by default; the suite needs no network beyond the SUT's address.
WORKDIR /reports
CMD ["pnc-conformance", "--help"]
