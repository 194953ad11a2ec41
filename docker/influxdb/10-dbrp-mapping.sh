#!/bin/bash
# Run once by the influxdb:2 image after its automated setup (DOCKER_INFLUXDB_INIT_MODE=setup), with
# the influx CLI already pointed at the new instance with the admin token, and with
# DOCKER_INFLUXDB_INIT_BUCKET_ID exported by the entrypoint.
#
# Maps the InfluxQL database "$HB_INFLUX_DATABASE" (retention policy "autogen", the default) to the
# telemetry bucket, so that InfluxQL on /query works for the platform's history reads and for Grafana.
# InfluxDB 2.4+ also offers a read-only "virtual" mapping named after the bucket; an explicit one
# survives renaming the bucket and works on every 2.x.
# Must stay executable (the entrypoint only runs executable *.sh files).
set -euo pipefail

db="${HB_INFLUX_DATABASE:-${DOCKER_INFLUXDB_INIT_BUCKET}}"
influx v1 dbrp create \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db "${db}" \
  --rp autogen \
  --default
echo "hearthbeat: InfluxQL database ${db}/autogen mapped to bucket ${DOCKER_INFLUXDB_INIT_BUCKET}"
