import en from 'zod/v4/locales/en.js';
import { globalConfig } from 'zod/v4/core';
import { config } from 'zod/mini';

/**
 * zod's small API (`zod/mini`), with the English messages the full API sets when it loads:
 * without a locale, every built-in check would say only "Invalid input". The agent's
 * long-running process validates with it alone (see frame.ts). Import it as a namespace
 * (`import * as z from '@plumbline/protocol/zod-mini'`) and never pass that namespace on as a
 * value: a bundle then keeps only the parts of zod it calls.
 */
if (!globalConfig.localeError) config(en());

export * from 'zod/mini';
