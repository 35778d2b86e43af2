#!/bin/sh
# Entry point of the vap image: picks oneDNN's ISA cap, then runs the vap CLI with the given arguments.
# PyTorch 2.7.1's oneDNN has miscomputed convolutions above SSE4.1 on some hosts (detector/README.md "CPU numerics"):
# unless DNNL_MAX_CPU_ISA is set, use the widest ISA that vap.models.ConvolutionCheck proves correct on this CPU
# (about 5-10 s per candidate at start). Every service also re-checks at start and refuses wrong convolutions.
set -e
CP="/opt/vap/classes:$(cat /opt/vap/classpath.txt)"
if [ -z "${DNNL_MAX_CPU_ISA:-}" ]; then
  for isa in AVX512_CORE_BF16 AVX512_CORE AVX2 SSE41; do
    if DNNL_MAX_CPU_ISA=$isa java -Xmx512m -Dai.djl.offline=true -cp "$CP" vap.models.ConvolutionCheck >/dev/null 2>&1; then
      break
    fi
  done
  export DNNL_MAX_CPU_ISA="$isa"
  echo "vap: oneDNN ISA $isa (convolutions checked against plain Java on this CPU)" >&2
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -Dai.djl.offline=true -Dorg.apache.avro.SERIALIZABLE_PACKAGES=vap.messages -cp "$CP" vap.launcher.Vap "$@"
