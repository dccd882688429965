package org.aidledger.infra.web;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.annotation.JsonView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.converter.HttpMessageConversionException;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Calls the ledger's JSON handlers without Spring MVC's general argument and return-value
 * machinery, where a handler takes only what that machinery would hand it unchanged.
 *
 * <p>A W1 profile had a quarter of the request threads' samples in MVC resolving arguments and
 * a sixth in writing the answer: for every call a data binder per header and path variable to
 * convert a string into a string, a copy of every request header to read the body's content
 * type, a search of the message converters, and content negotiation for an answer that is JSON
 * in any case (every controller produces {@code application/json} only). This adapter takes a
 * handler method whose parameters are all {@code @RequestHeader String}, {@code @PathVariable
 * String} or a {@code @RequestBody} record, and which returns a record, and for such a call reads
 * the body with the Jackson reader MVC's own converter would use, invokes the method, sets its
 * {@code @ResponseStatus} and writes the record with the converter's object mapper as
 * {@code application/json}. Failures are MVC's own exceptions, so {@code ErrorAdvice} answers
 * them as before.
 *
 * <p>A request this adapter does not read exactly as MVC would goes to MVC whole, before
 * anything of it is read: a body that is not {@code application/json} in a Unicode encoding
 * (or none), an {@code Accept} other than none, {@code *}{@code /*} and
 * {@code application/json}, a repeated header, a path with a dot or a semicolon (where MVC
 * may add a {@code Content-Disposition}). Every header is still read through Spring
 * Security's firewall first, as MVC does when it takes a body, so a request with a header the
 * firewall refuses is refused before its command runs. {@code DirectJsonHandlerAdapterTest}
 * holds the adapter's answers, and its refusals, to MVC's for the same requests.
 */
@Configuration(proxyBeanMethods = false)
public class DirectJsonHandlerAdapter {

    @Bean
    Adapter directJsonAdapter(ApplicationContext context,
            ObjectProvider<RequestMappingHandlerAdapter> mvc) {
        return new Adapter(context, mvc);
    }

    /** The handler adapter, ahead of MVC's. */
    public static final class Adapter implements HandlerAdapter, Ordered {

        private static final Plan NONE = new Plan(null, null, false, null, 0);

        private final ApplicationContext context;
        private final ObjectProvider<RequestMappingHandlerAdapter> mvcProvider;
        private final Map<Method, Plan> plans = new ConcurrentHashMap<>();
        private volatile Setup setup;

        Adapter(ApplicationContext context, ObjectProvider<RequestMappingHandlerAdapter> mvc) {
            this.context = context;
            this.mvcProvider = mvc;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public boolean supports(Object handler) {
            return handler instanceof HandlerMethod h && plan(h) != NONE;
        }

        /** Whether this adapter calls the handler itself for the request, rather than MVC. */
        public boolean takes(HttpServletRequest request, HandlerMethod handler) {
            Plan plan = plan(handler);
            return plan != NONE && plan.takes(request);
        }

        @Override
        public ModelAndView handle(HttpServletRequest request, HttpServletResponse response,
                Object handler) throws Exception {
            HandlerMethod method = (HandlerMethod) handler;
            Plan plan = plan(method);
            if (!plan.takes(request)) {
                return setup().mvc().handle(request, response, handler);
            }
            // Spring Security's firewall checks a header when it is read; MVC reads them all
            // when it takes a body. Read them all here too, for every call.
            for (Enumeration<String> names = request.getHeaderNames();
                    names.hasMoreElements(); ) {
                for (Enumeration<String> values = request.getHeaders(names.nextElement());
                        values.hasMoreElements(); ) {
                    values.nextElement();
                }
            }
            Object[] args = plan.arguments(request, setup());
            Object answer = invoke(method, plan.target(), args);
            if (plan.status() != 0) {
                response.setStatus(plan.status());
                request.setAttribute(View.RESPONSE_STATUS_ATTRIBUTE,
                        org.springframework.http.HttpStatusCode.valueOf(plan.status()));
            }
            if (answer != null) {
                write(response, answer, setup());
            }
            return null;
        }

        @Override
        @SuppressWarnings("deprecation")
        public long getLastModified(HttpServletRequest request, Object handler) {
            return -1;
        }

        private static Object invoke(HandlerMethod method, Method target, Object[] args)
                throws Exception {
            try {
                return target.invoke(method.getBean(), args);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("could not invoke " + method + ": "
                        + e.getMessage(), e);
            } catch (InvocationTargetException e) {
                Throwable thrown = e.getTargetException();
                if (thrown instanceof Exception ex) {
                    throw ex;
                }
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("invocation of " + method + " failed", thrown);
            }
        }

        private static void write(HttpServletResponse response, Object answer, Setup setup)
                throws IOException {
            response.setContentType("application/json");
            OutputStream out = StreamUtils.nonClosing(response.getOutputStream());
            try (JsonGenerator generator = setup.mapper().getFactory()
                    .createGenerator(out, JsonEncoding.UTF8)) {
                setup.writer().writeValue(generator, answer);
                generator.flush();
            }
            response.getOutputStream().flush();
        }

        private Plan plan(HandlerMethod handler) {
            return plans.computeIfAbsent(handler.getMethod(), m -> planFor(handler));
        }

        private Setup setup() {
            Setup s = setup;
            if (s == null) {
                s = Setup.of(context, mvcProvider.getObject());
                setup = s;
            }
            return s;
        }

        private Plan planFor(HandlerMethod handler) {
            Setup s = setup();
            if (s.mapper() == null || !s.advicePlain()) {
                return NONE;
            }
            Class<?> type = handler.getBeanType();
            Method method = handler.getMethod();
            boolean responseBody = AnnotatedElementUtils.hasAnnotation(type, ResponseBody.class)
                    || AnnotatedElementUtils.hasAnnotation(method, ResponseBody.class);
            if (!responseBody || !method.getReturnType().isRecord()
                    || AnnotatedElementUtils.hasAnnotation(method, JsonView.class)
                    || Arrays.stream(type.getMethods()).anyMatch(m ->
                            AnnotatedElementUtils.hasAnnotation(m, InitBinder.class)
                                    || AnnotatedElementUtils.hasAnnotation(m,
                                            ModelAttribute.class))) {
                return NONE;
            }
            int status = 0;
            ResponseStatus declared = AnnotatedElementUtils.findMergedAnnotation(method,
                    ResponseStatus.class);
            if (declared == null) {
                declared = AnnotatedElementUtils.findMergedAnnotation(type, ResponseStatus.class);
            }
            if (declared != null) {
                if (!declared.reason().isEmpty()) {
                    return NONE;
                }
                status = declared.code().value();
            }
            MethodParameter[] parameters = handler.getMethodParameters();
            Arg[] args = new Arg[parameters.length];
            boolean takesBody = false;
            for (int i = 0; i < parameters.length; i++) {
                MethodParameter p = parameters[i];
                p.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
                Arg arg = Arg.of(p, s.mapper());
                if (arg == null) {
                    return NONE;
                }
                if (arg.kind() == Kind.BODY) {
                    if (takesBody) {
                        return NONE;
                    }
                    takesBody = true;
                }
                args[i] = arg;
            }
            Method target = org.springframework.core.BridgeMethodResolver.findBridgedMethod(method);
            target.trySetAccessible();
            return new Plan(target, args, takesBody, target.toGenericString(), status);
        }
    }

    private enum Kind { HEADER, PATH, BODY }

    /** One parameter: where its value comes from, and how it is refused when missing. */
    private record Arg(Kind kind, String name, boolean required, MethodParameter parameter,
            ObjectReader reader) {

        static Arg of(MethodParameter p, ObjectMapper mapper) {
            long own = Arrays.stream(p.getParameterAnnotations()).filter(a -> !a.annotationType()
                    .getName().startsWith("io.swagger.")).count();
            if (own != 1) {
                return null;
            }
            RequestHeader header = p.getParameterAnnotation(RequestHeader.class);
            PathVariable path = p.getParameterAnnotation(PathVariable.class);
            RequestBody body = p.getParameterAnnotation(RequestBody.class);
            if (header != null && p.getParameterType() == String.class
                    && ValueConstants.DEFAULT_NONE.equals(header.defaultValue())) {
                String name = header.name().isEmpty() ? p.getParameterName() : header.name();
                return name == null || name.contains("${") || name.contains("#{") ? null
                        : new Arg(Kind.HEADER, name, header.required(), p, null);
            }
            if (path != null && p.getParameterType() == String.class) {
                String name = path.name().isEmpty() ? p.getParameterName() : path.name();
                return name == null || name.contains("${") || name.contains("#{") ? null
                        : new Arg(Kind.PATH, name, path.required(), p, null);
            }
            if (body != null && p.getParameterType().isRecord()) {
                return new Arg(Kind.BODY, null, body.required(), p,
                        mapper.readerFor(mapper.constructType(p.getGenericParameterType())));
            }
            return null;
        }
    }

    /** A handler method this adapter can call: its arguments, and the status it answers. */
    private record Plan(Method target, Arg[] args, boolean takesBody, String signature,
            int status) {

        /** Whether the adapter reads this request exactly as MVC would. */
        boolean takes(HttpServletRequest request) {
            String accept = request.getHeader("Accept");
            if (accept != null && !accept.equals("*/*") && !accept.equals("application/json")) {
                return false;
            }
            String uri = request.getRequestURI();
            if (uri.indexOf('.') >= 0 || uri.indexOf(';') >= 0) {
                return false;
            }
            for (Arg arg : args) {
                if (arg.kind() == Kind.HEADER) {
                    Enumeration<String> values = request.getHeaders(arg.name());
                    if (values != null && values.hasMoreElements()) {
                        values.nextElement();
                        if (values.hasMoreElements()) {
                            return false;
                        }
                    }
                }
            }
            if (!takesBody) {
                return true;
            }
            String contentType = request.getContentType();
            if (contentType == null) {
                // No body at all is read as MVC reads it (none); anything else goes to MVC.
                return request.getContentLengthLong() == 0;
            }
            return isJson(contentType);
        }

        private static boolean isJson(String contentType) {
            String t = contentType.trim().toLowerCase(java.util.Locale.ROOT);
            return t.equals("application/json") || t.equals("application/json;charset=utf-8")
                    || t.equals("application/json; charset=utf-8");
        }

        Object[] arguments(HttpServletRequest request, Setup setup) throws Exception {
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                Arg arg = args[i];
                switch (arg.kind()) {
                    case HEADER -> {
                        String v = request.getHeader(arg.name());
                        if (v == null && arg.required()) {
                            throw new MissingRequestHeaderException(arg.name(), arg.parameter());
                        }
                        values[i] = v;
                    }
                    case PATH -> {
                        @SuppressWarnings("unchecked")
                        Map<String, String> vars = (Map<String, String>) request.getAttribute(
                                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
                        String v = vars == null ? null : vars.get(arg.name());
                        if (v == null && arg.required()) {
                            throw new MissingPathVariableException(arg.name(), arg.parameter());
                        }
                        values[i] = v;
                    }
                    case BODY -> values[i] = body(request, arg);
                }
            }
            return values;
        }

        private Object body(HttpServletRequest request, Arg arg) throws IOException {
            ServletServerHttpRequest message = new ServletServerHttpRequest(request);
            try {
                Object value = null;
                if (request.getContentType() != null) {
                    PushbackInputStream in = new PushbackInputStream(
                            StreamUtils.nonClosing(request.getInputStream()), 1);
                    int first = in.read();
                    if (first != -1) {
                        in.unread(first);
                        value = read(arg.reader(), in, message);
                    }
                }
                if (value == null && arg.required()) {
                    throw new HttpMessageNotReadableException("Required request body is missing: "
                            + signature, message);
                }
                return value;
            } catch (IOException e) {
                throw new HttpMessageNotReadableException("I/O error while reading input message",
                        e, message);
            }
        }

        private static Object read(ObjectReader reader, InputStream in,
                ServletServerHttpRequest message) throws IOException {
            try {
                return reader.readValue(in);
            } catch (InvalidDefinitionException e) {
                throw new HttpMessageConversionException("Type definition error: " + e.getType(),
                        e);
            } catch (JsonProcessingException e) {
                throw new HttpMessageNotReadableException("JSON parse error: "
                        + e.getOriginalMessage(), e, message);
            }
        }
    }

    /**
     * MVC's adapter, the object mapper of its JSON converter, and whether any controller advice
     * would change arguments or answers (binders, model attributes, body advice).
     */
    private record Setup(RequestMappingHandlerAdapter mvc, ObjectMapper mapper,
            ObjectWriter writer, boolean advicePlain) {

        static Setup of(ApplicationContext context, RequestMappingHandlerAdapter mvc) {
            ObjectMapper mapper = null;
            for (HttpMessageConverter<?> c : mvc.getMessageConverters()) {
                if (c instanceof MappingJackson2HttpMessageConverter json) {
                    mapper = json.getObjectMapper();
                    break;
                }
            }
            boolean plain = true;
            for (Object advice : context.getBeansWithAnnotation(ControllerAdvice.class).values()) {
                Class<?> type = org.springframework.aop.support.AopUtils.getTargetClass(advice);
                if (advice instanceof RequestBodyAdvice || advice instanceof ResponseBodyAdvice
                        || Arrays.stream(type.getMethods()).anyMatch(m ->
                                AnnotatedElementUtils.hasAnnotation(m, InitBinder.class)
                                        || AnnotatedElementUtils.hasAnnotation(m,
                                                ModelAttribute.class))) {
                    plain = false;
                }
            }
            return new Setup(mvc, mapper, mapper == null ? null : mapper.writer(), plain);
        }
    }
}
