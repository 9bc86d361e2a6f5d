using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Orchestrator.Generators;

/// <summary>
/// Generates MessagePack formatters for every <c>[MessagePackObject]</c> class of the assembly that declares
/// <c>Orchestrator.Shared.Protocol.WireResolver</c>. MessagePack 2.5 otherwise emits them at run time, which a natively
/// compiled program cannot do (and which costs every process start).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class WireFormatterGenerator : IIncrementalGenerator
{
    private const string ResolverNamespace = "Orchestrator.Shared.Protocol";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var types = context.SyntaxProvider.ForAttributeWithMetadataName(
            "MessagePack.MessagePackObjectAttribute",
            static (node, _) => node is ClassDeclarationSyntax,
            static (target, _) => WireTypeReader.Read((INamedTypeSymbol)target.TargetSymbol));
        var hasResolver = context.CompilationProvider.Select(
            static (compilation, _) => compilation.Assembly.GetTypeByMetadataName(ResolverNamespace + ".WireResolver") is not null);
        context.RegisterSourceOutput(types.Collect().Combine(hasResolver), static (output, input) =>
        {
            var (results, resolverHere) = input;
            if (!resolverHere)
            {
                return;
            }
            foreach (var result in results)
            {
                if (result.Error is { } error)
                {
                    output.ReportDiagnostic(error);
                }
            }
            var wireTypes = results.Select(r => r.Type).OfType<WireType>().OrderBy(t => t.FullName, System.StringComparer.Ordinal).ToList();
            output.AddSource("WireResolver.g.cs", WireResolverWriter.Write(ResolverNamespace, wireTypes));
        });
    }
}
