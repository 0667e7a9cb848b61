#!/usr/bin/env node
// The CDK app: `npx cdk deploy` from cdk/ (cdk.json builds it and runs dist/bin/app.js).
// A configuration or build problem is printed as its message alone: it says what to fix.
import { App } from 'aws-cdk-lib';
import { defineApp } from '../lib/app';

try {
  defineApp(new App());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
