#!/bin/sh
# Run by LocalStack when it is ready (see docker-compose.yml): the bucket the sample's avatars live in.
awslocal s3 mb s3://avatars
