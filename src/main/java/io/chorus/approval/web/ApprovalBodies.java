package io.chorus.approval.web;

import io.chorus.approval.ApprovalPage;
import io.chorus.approval.ApprovalRoleView;
import io.chorus.approval.ApproverRule;
import io.chorus.approval.Condition;
import io.chorus.approval.FlowNode;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.approval.InstanceSummary;
import io.chorus.approval.InstanceView;
import io.chorus.approval.SubmitApproval;
import io.chorus.approval.TaskSummary;
import io.chorus.approval.TemplateDefinition;
import io.chorus.approval.TemplateSettings;
import io.chorus.approval.TemplateView;
import io.chorus.approval.web.ApprovalInstanceController.Instance;
import io.chorus.approval.web.ApprovalInstanceController.InstanceLine;
import io.chorus.approval.web.ApprovalInstanceController.InstancePage;
import io.chorus.approval.web.ApprovalRoleController.Role;
import io.chorus.approval.web.ApprovalTaskController.TaskLine;
import io.chorus.approval.web.ApprovalTaskController.TaskPage;
import io.chorus.approval.web.ApprovalTemplateController.Approvers;
import io.chorus.approval.web.ApprovalTemplateController.Branch;
import io.chorus.approval.web.ApprovalTemplateController.Definition;
import io.chorus.approval.web.ApprovalTemplateController.Field;
import io.chorus.approval.web.ApprovalTemplateController.Form;
import io.chorus.approval.web.ApprovalTemplateController.Node;
import io.chorus.approval.web.ApprovalTemplateController.Settings;
import io.chorus.approval.web.ApprovalTemplateController.Template;
import io.chorus.approval.web.ApprovalTemplateController.When;
import io.chorus.platform.MappingConfig;
import org.mapstruct.Mapper;

/**
 * The module's records to and from the bodies the contract describes. The bodies keep the
 * records' field names, so the mapping is one to one; a field added on either side and not
 * mapped fails the build.
 */
@Mapper(config = MappingConfig.class)
interface ApprovalBodies {

    // ----- templates: requests in

    TemplateDefinition definition(Definition body);

    FormSchema form(Form body);

    FormField field(Field body);

    FlowNode node(Node body);

    FlowNode.Branch branch(Branch body);

    ApproverRule approvers(Approvers body);

    Condition condition(When body);

    TemplateSettings settings(Settings body);

    // ----- templates: responses out

    Template template(TemplateView view);

    Form form(FormSchema schema);

    Field field(FormField field);

    Node node(FlowNode node);

    Branch branch(FlowNode.Branch branch);

    Approvers approvers(ApproverRule rule);

    When condition(Condition condition);

    Settings settings(TemplateSettings settings);

    // ----- requests and tasks

    SubmitApproval submit(ApprovalInstanceController.SubmitRequest body);

    Instance instance(InstanceView view);

    InstanceLine line(InstanceSummary summary);

    InstancePage instances(ApprovalPage<InstanceSummary> page);

    TaskLine task(TaskSummary summary);

    TaskPage tasks(ApprovalPage<TaskSummary> page);

    // ----- roles

    Role role(ApprovalRoleView view);
}
