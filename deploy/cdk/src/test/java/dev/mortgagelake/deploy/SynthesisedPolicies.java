package dev.mortgagelake.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Answers "which roles may do this action on this ARN?" from a synthesised template, by evaluating
 * the Allow statements of every identity policy the way IAM matches them ({@code *} and {@code ?} in
 * actions and resources). Intrinsics are rendered to concrete ARNs: a bucket's ARN from its
 * {@code BucketName}, a queue's from its {@code QueueName}, a key's from its logical id. Conditions
 * are ignored, which can only make the answer larger (so "only X may" checks stay strict).
 */
final class SynthesisedPolicies {

    static final String PARTITION = "aws";
    static final String REGION = "eu-test-1";
    static final String ACCOUNT = "123456789012";

    /** One Allow statement of an identity policy and the roles it is attached to. */
    record Grant(Set<String> roles, List<String> actions, List<String> resources, Map<String, Object> source) {
    }

    private final Map<String, Object> resources;
    private final List<Grant> grants = new ArrayList<>();

    @SuppressWarnings("unchecked")
    SynthesisedPolicies(Map<String, Object> template) {
        this.resources = (Map<String, Object>) template.get("Resources");
        resources.forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            switch ((String) resource.get("Type")) {
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" -> {
                    Set<String> roles = new TreeSet<>();
                    for (Object ref : (List<Object>) props.getOrDefault("Roles", List.of())) {
                        roles.add((String) ((Map<String, Object>) ref).get("Ref"));
                    }
                    addStatements(roles, (Map<String, Object>) props.get("PolicyDocument"));
                }
                case "AWS::IAM::Role" -> {
                    for (Object policy : (List<Object>) props.getOrDefault("Policies", List.of())) {
                        addStatements(Set.of(id), (Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument"));
                    }
                }
                default -> {
                }
            }
        });
    }

    List<Grant> grants() {
        return grants;
    }

    /** Roles allowed {@code action} on {@code arn}. */
    Set<String> rolesAllowed(String action, String arn) {
        Set<String> roles = new TreeSet<>();
        for (Grant grant : grants) {
            boolean actionMatches = grant.actions().stream().anyMatch(a -> glob(a, true).matcher(action).matches());
            boolean resourceMatches = grant.resources().stream().anyMatch(r -> glob(r, false).matcher(arn).matches());
            if (actionMatches && resourceMatches) {
                roles.addAll(grant.roles());
            }
        }
        return roles;
    }

    static String objectArn(String bucket, String key) {
        return "arn:" + PARTITION + ":s3:::" + bucket + "/" + key;
    }

    static String queueArn(String queueName) {
        return "arn:" + PARTITION + ":sqs:" + REGION + ":" + ACCOUNT + ":" + queueName;
    }

    static String keyArn(String logicalId) {
        return "arn:" + PARTITION + ":kms:" + REGION + ":" + ACCOUNT + ":key/" + logicalId;
    }

    @SuppressWarnings("unchecked")
    private void addStatements(Set<String> roles, Map<String, Object> document) {
        for (Object s : asList(document.get("Statement"))) {
            Map<String, Object> statement = (Map<String, Object>) s;
            if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
                throw new AssertionError("NotAction/NotResource cannot be evaluated here: " + statement);
            }
            if (!"Allow".equals(statement.get("Effect"))) {
                continue;
            }
            List<String> actions = asList(statement.get("Action")).stream().map(a -> (String) a).toList();
            List<String> arns = asList(statement.get("Resource")).stream().map(this::render).toList();
            grants.add(new Grant(roles, actions, arns, statement));
        }
    }

    /** An intrinsic-function value as a concrete string. */
    @SuppressWarnings("unchecked")
    String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        Map<String, Object> fn = (Map<String, Object>) value;
        if (fn.containsKey("Ref")) {
            String ref = (String) fn.get("Ref");
            return switch (ref) {
                case "AWS::Partition" -> PARTITION;
                case "AWS::Region" -> REGION;
                case "AWS::AccountId" -> ACCOUNT;
                default -> physicalName(ref);
            };
        }
        if (fn.containsKey("Fn::GetAtt")) {
            List<Object> args = (List<Object>) fn.get("Fn::GetAtt");
            String id = (String) args.get(0);
            String attribute = (String) args.get(1);
            String type = type(id);
            if ("Arn".equals(attribute)) {
                return switch (type) {
                    case "AWS::S3::Bucket" -> "arn:" + PARTITION + ":s3:::" + physicalName(id);
                    case "AWS::SQS::Queue" -> queueArn(physicalName(id));
                    case "AWS::KMS::Key" -> keyArn(id);
                    default -> "arn:" + PARTITION + ":" + type + ":" + id;
                };
            }
            return id + "." + attribute;
        }
        if (fn.containsKey("Fn::Join")) {
            List<Object> args = (List<Object>) fn.get("Fn::Join");
            StringBuilder out = new StringBuilder();
            List<Object> parts = (List<Object>) args.get(1);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    out.append((String) args.get(0));
                }
                out.append(render(parts.get(i)));
            }
            return out.toString();
        }
        throw new AssertionError("Cannot render " + value);
    }

    /** The bucket or queue name of a resource (its logical id when it has none). */
    @SuppressWarnings("unchecked")
    String physicalName(String logicalId) {
        Map<String, Object> resource = (Map<String, Object>) resources.get(logicalId);
        if (resource == null) {
            throw new AssertionError("No resource " + logicalId);
        }
        Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
        Object name = props.containsKey("BucketName") ? props.get("BucketName") : props.get("QueueName");
        return name instanceof String s ? s : logicalId;
    }

    @SuppressWarnings("unchecked")
    private String type(String logicalId) {
        return (String) ((Map<String, Object>) resources.get(logicalId)).get("Type");
    }

    static Pattern glob(String pattern, boolean caseInsensitive) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
    }

    static boolean isWildcardAction(String action) {
        return action.contains("*") || action.contains("?");
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? (List<Object>) list : List.of(value);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
