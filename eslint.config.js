// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// `npm run lint`. Layout is Prettier's job (`.prettierrc.json`): eslint-config-prettier turns off the rules that would
// fight it, and `max-len` comes back after it for what Prettier does not wrap (comments, long strings). The
// type-checked presets are left out on purpose: they need a TypeScript program and make a lint run several times
// slower.
export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // Comments, strings and template literals too (a long one is split into `+`-joined pieces); URLs and regular
      // expressions cannot be split without hurting search and meaning.
      'max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
        },
      ],
      // `const { secret: _secret, ...rest } = item` is how the code drops a property; `_` marks it unused on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // vitest hooks read their first parameter as fixtures and want it destructured, even when empty: `({}, suite)`.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read CloudFormation templates, JSON log lines and EMF metrics whose shape is what they assert.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
