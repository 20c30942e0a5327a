#!/bin/bash
# LocalStack (or Floci) READY hook: creates the mortgage lake's topology in LocalStack (S3 + SQS).
#
# Mounted by docker-compose.yml into /etc/localstack/init/ready.d/; LocalStack runs it once it
# serves requests, and the localstack service's healthcheck reports healthy only after it has
# succeeded (it touches $DONE_MARKER as its last step).
#
# It mirrors what TopologyApplier (lake-aws) applies for LakeTopology.standard(...) on the embedded
# servers used by ./lake and the tests:
#   - buckets lake-landing, lake-bronze, lake-silver, lake-gold, lake-quarantine;
#   - per queue a dead-letter queue <queue>-dlq (MessageRetentionPeriod 14 days), then the queue with
#     RedrivePolicy {deadLetterTargetArn: <dlq arn>, maxReceiveCount: "5"} and VisibilityTimeout 120;
#   - a queue policy letting s3.amazonaws.com send to lake-landing from the landing bucket, and the
#     landing bucket's notification "mortgage-lake-landing-object-created": s3:ObjectCreated:* for
#     keys under incoming/ to lake-landing.
# Differences: this script replaces the landing bucket's whole notification configuration (the
# applier keeps other entries), and its names are fixed here rather than read from configuration.
#
# Issue "Operate and deploy it" replaces this script with the same TopologyApplier bootstrap the
# embedded servers use, so that the topology is declared in one place (lake-core LakeTopology).
#
# Safe to run again: existing buckets are kept, existing queues get their attributes reset.
set -euo pipefail

REGION="${AWS_DEFAULT_REGION:-us-east-1}"
DONE_MARKER=/tmp/mortgage-lake-topology.ready
BUCKETS=(lake-landing lake-bronze lake-silver lake-gold lake-quarantine)
QUEUES=(lake-landing lake-file-landed lake-run-validated-publish lake-run-validated-retry lake-retry-due lake-run-promoted)
MAX_RECEIVE_COUNT=5
VISIBILITY_TIMEOUT_SECONDS=120
DEAD_LETTER_RETENTION_SECONDS=1209600
LANDING_BUCKET=lake-landing
SILVER_BUCKET=lake-silver
LANDING_QUEUE=lake-landing
LANDING_PREFIX=incoming/
NOTIFICATION_ID=mortgage-lake-landing-object-created

rm -f "$DONE_MARKER"
log() { echo "[init-lake] $*"; }

# LocalStack ships awslocal; Floci's compat image (docker-compose.floci.yml) ships the plain aws CLI
# already pointed at its own endpoint (AWS_ENDPOINT_URL).
if command -v awslocal >/dev/null 2>&1; then
  AWS_CLI=awslocal
else
  AWS_CLI=aws
fi

# ensure_queue NAME ATTRIBUTES_JSON: create the queue, or reset the attributes of the existing one.
ensure_queue() {
  local name=$1 attributes=$2 url
  if url=$("$AWS_CLI" sqs get-queue-url --region "$REGION" --queue-name "$name" --query QueueUrl --output text 2>/dev/null); then
    "$AWS_CLI" sqs set-queue-attributes --region "$REGION" --queue-url "$url" --attributes "$attributes"
    log "queue $name exists; attributes reset"
  else
    "$AWS_CLI" sqs create-queue --region "$REGION" --queue-name "$name" --attributes "$attributes" >/dev/null
    log "created queue $name"
  fi
}

queue_url() { "$AWS_CLI" sqs get-queue-url --region "$REGION" --queue-name "$1" --query QueueUrl --output text; }
queue_arn() {
  "$AWS_CLI" sqs get-queue-attributes --region "$REGION" --queue-url "$(queue_url "$1")" \
    --attribute-names QueueArn --query Attributes.QueueArn --output text
}

for bucket in "${BUCKETS[@]}"; do
  if "$AWS_CLI" s3api head-bucket --region "$REGION" --bucket "$bucket" >/dev/null 2>&1; then
    log "bucket $bucket exists"
  else
    "$AWS_CLI" s3api create-bucket --region "$REGION" --bucket "$bucket" >/dev/null
    log "created bucket $bucket"
  fi
done

for queue in "${QUEUES[@]}"; do
  dlq="${queue}-dlq"
  ensure_queue "$dlq" "{\"MessageRetentionPeriod\":\"${DEAD_LETTER_RETENTION_SECONDS}\"}"
  dlq_arn=$(queue_arn "$dlq")
  redrive="{\\\"deadLetterTargetArn\\\":\\\"${dlq_arn}\\\",\\\"maxReceiveCount\\\":\\\"${MAX_RECEIVE_COUNT}\\\"}"
  ensure_queue "$queue" "{\"RedrivePolicy\":\"${redrive}\",\"VisibilityTimeout\":\"${VISIBILITY_TIMEOUT_SECONDS}\"}"
done

landing_queue_arn=$(queue_arn "$LANDING_QUEUE")
partition=$(echo "$landing_queue_arn" | cut -d: -f2)
bucket_arn="arn:${partition}:s3:::${LANDING_BUCKET}"
policy="{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"AllowLandingBucketNotifications\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"s3.amazonaws.com\\\"},\\\"Action\\\":\\\"sqs:SendMessage\\\",\\\"Resource\\\":\\\"${landing_queue_arn}\\\",\\\"Condition\\\":{\\\"ArnLike\\\":{\\\"aws:SourceArn\\\":\\\"${bucket_arn}\\\"}}}]}"
"$AWS_CLI" sqs set-queue-attributes --region "$REGION" --queue-url "$(queue_url "$LANDING_QUEUE")" \
  --attributes "{\"Policy\":\"${policy}\"}"

"$AWS_CLI" s3api put-bucket-notification-configuration --region "$REGION" --bucket "$LANDING_BUCKET" \
  --notification-configuration "{\"QueueConfigurations\":[{\"Id\":\"${NOTIFICATION_ID}\",\"QueueArn\":\"${landing_queue_arn}\",\"Events\":[\"s3:ObjectCreated:*\"],\"Filter\":{\"Key\":{\"FilterRules\":[{\"Name\":\"prefix\",\"Value\":\"${LANDING_PREFIX}\"}]}}}]}"
log "s3://${LANDING_BUCKET}/${LANDING_PREFIX} sends ObjectCreated events to ${LANDING_QUEUE}"

# The currency allow-list (reference data the quality team edits; validation-service re-reads it
# when its ETag changes). Created only if absent, so an edit is never overwritten.
CURRENCY_LIST_KEY="reference/currencies/iso4217_allow_list.json"
if awslocal s3api head-object --region "$REGION" --bucket "$SILVER_BUCKET" --key "$CURRENCY_LIST_KEY" >/dev/null 2>&1; then
  log "s3://${SILVER_BUCKET}/${CURRENCY_LIST_KEY} exists"
else
  currency_list=$(mktemp)
  printf '%s\n' '{"description":"ISO-4217 codes accepted in mortgages/transactions","codes":["AUD","CAD","CHF","CZK","DKK","EUR","GBP","HKD","HUF","JPY","NOK","NZD","PLN","SEK","SGD","USD"]}' >"$currency_list"
  awslocal s3api put-object --region "$REGION" --bucket "$SILVER_BUCKET" --key "$CURRENCY_LIST_KEY" \
    --content-type application/json --body "$currency_list" >/dev/null
  rm -f "$currency_list"
  log "seeded s3://${SILVER_BUCKET}/${CURRENCY_LIST_KEY}"
fi

touch "$DONE_MARKER"
log "topology ready"
