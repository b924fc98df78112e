import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules', '**/dist', '**/tmp', 'data', 'coverage'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:service', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:runtime', 'type:service', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:runtime', 'type:service', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:cli', 'type:runtime', 'type:util', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:cli', 'type:runtime', 'type:service', 'type:util', 'type:contracts', 'type:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: ['scope:domain', 'scope:shared'] },
            { sourceTag: 'scope:edge', onlyDependOnLibsWithTags: ['scope:edge', 'scope:shared'] },
            { sourceTag: 'scope:config', onlyDependOnLibsWithTags: ['scope:config', 'scope:domain', 'scope:shared'] },
            { sourceTag: 'scope:calendar', onlyDependOnLibsWithTags: ['scope:calendar', 'scope:domain', 'scope:shared'] },
            { sourceTag: 'scope:contacts', onlyDependOnLibsWithTags: ['scope:contacts', 'scope:domain', 'scope:shared'] },
            { sourceTag: 'scope:composition', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  { files: ['**/*.spec.ts', 'libs/testing/**/*.ts', 'libs/service-testing/**/*.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
