import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * Validation messages in English for every schema in the process. Only this locale is bundled:
 * `z.locales.en()` would make the bundler keep all forty of them (~250 KB).
 */
z.config(en());
