import ts from 'typescript';

/**
 * The week page's script as browsers run it: its TypeScript with the types stripped, once as
 * the service starts, so `npm start`, the image and the tests serve the same page without a
 * build step to forget. The types are checked by `tsc -p page/tsconfig.json` in `npm test`.
 */
export function weekScript(source: string): string {
  const { outputText, diagnostics } = ts.transpileModule(source, {
    fileName: 'week.ts',
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      isolatedModules: true,
      sourceMap: false,
    },
  });
  if (diagnostics?.length)
    throw new Error(
      `week.ts does not compile: ${ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, '\n')}`,
    );
  return outputText;
}
