using System.ComponentModel;
using Harness.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Cli.Commands;

/// <summary><c>harness plan &lt;file&gt; [--json]</c>: the compiled plan of each scenario (matrix cell), readable or as JSON.</summary>
internal sealed class PlanCommand : Command<PlanCommand.Settings>
{
    public sealed class Settings : ValidateCommand.Settings
    {
        [CommandOption("--json")]
        [Description("Print JSON: name, cell, injections (step, row, item, group, variant, encounter), eval_count and eval_steps as runs; a matrix prints an array, one object per cell in cell order.")]
        public bool Json { get; init; }

        [CommandOption("--gpu <name>")]
        [Description("GPU of the estimates printed per cell and in all: h100 (default), h200 or a100.")]
        public string Gpu { get; init; } = "h100";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var loaded = ScenarioLoader.Read(settings.File, deferUnsetVariables: true, settings.Set);
        var plans = loaded.Scenarios.Select((s, i) => ScenarioCompiler.Compile(s, loaded.Shapes[i])).ToList();
        if (settings.Json)
        {
            Console.Out.WriteLine(RunPlanJson.Write(loaded.Scenarios.Select((s, i) => (s, plans[i], loaded.LongestPassages[i])).ToList(), loaded.Scenarios[0].Cell.Count > 0));
            return 0;
        }
        foreach (var note in loaded.Notes) Console.Error.WriteLine($"note: {note}");
        foreach (var warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
        var gpu = Harness.Runs.Gpu.Parse(settings.Gpu);
        double hours = 0;
        for (var i = 0; i < plans.Count; i++)
        {
            Print(loaded.Scenarios[i], plans[i], loaded.LongestPassages[i]);
            var estimate = Harness.Runs.ComputeEstimate.Of(loaded.Scenarios[i], plans[i], gpu);
            hours += estimate.GpuHours;
            AnsiConsole.MarkupLine($"estimate: {Markup.Escape(estimate.Describe())}");
            AnsiConsole.WriteLine();
        }
        AnsiConsole.MarkupLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"[bold]estimate, all {plans.Count} cell(s): {hours:0.0} GPU-hours on one {Markup.Escape(gpu.Name)}[/]"));
        return 0;
    }

    static void Print(Scenario s, RunPlan plan, PassageLength? longest)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(s.Name)}[/]: {plan.Steps} steps, batch {plan.BatchSize} x {plan.SequenceLength} tokens, "
            + $"{plan.Injections.Count} injections, {plan.Items.Count} probed items ({plan.Items.Count(x => x.Control)} control)");
        var table = new Table().AddColumns("step", "row", "item", "group", "variant", "encounter");
        foreach (var i in plan.Injections)
            table.AddRow(i.Step.ToString(), i.Row.ToString(), i.Item, Markup.Escape(i.Group), i.Variant.ToString(), i.Encounter.ToString());
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"eval steps ({plan.EvalSteps.Count}): {Markup.Escape(plan.EvalSteps.ToString())}");
        AnsiConsole.MarkupLine(Markup.Escape(Harness.Runs.PlannedLearningRate.Describe(s)));
        AnsiConsole.MarkupLine(Markup.Escape(Longest(plan, longest)));
        AnsiConsole.WriteLine();
    }

    /// <summary>The longest injected passage against the row it must fit in; past it, the row keeps only its start.</summary>
    static string Longest(RunPlan plan, PassageLength? longest) => longest switch
    {
        null when plan.Injections.Count == 0 => "longest passage: none injected",
        null => "longest passage: measured at run (the tokenizer or the knowledge is a deferred path)",
        var l => $"longest passage: {l.Item} ({(l.Variant == 0 ? "original" : $"paraphrase {l.Variant}")}), {l.Tokens} tokens with end-of-text, "
            + (l.Tokens <= plan.SequenceLength ? $"fits sequence_length {plan.SequenceLength}" : $"over sequence_length {plan.SequenceLength}: cut to its first {plan.SequenceLength}"),
    };
}
