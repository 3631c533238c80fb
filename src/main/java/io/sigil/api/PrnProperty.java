package io.sigil.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.sigil.common.Prn;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives every entity the API writes its {@code prn} (Pulp core 3.63+), next to its {@code pulp_href}: a view with a
 * {@code pulp_href} and no {@code prn} of its own gets one derived from the href ({@link Prn#fromHref}). One place,
 * so no view can forget it.
 */
@Singleton
public class PrnProperty implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("sigil-prn").setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                                                             List<BeanPropertyWriter> properties) {
                int href = -1;
                for (int i = 0; i < properties.size(); i++) {
                    String name = properties.get(i).getName();
                    if (name.equals("prn")) {
                        return properties;
                    }
                    if (name.equals("pulp_href")) {
                        href = i;
                    }
                }
                if (href < 0) {
                    return properties;
                }
                List<BeanPropertyWriter> withPrn = new ArrayList<>(properties);
                withPrn.add(href + 1, new PrnWriter(properties.get(href)));
                return withPrn;
            }
        }));
    }

    /** Reads the bean's {@code pulp_href} and writes the PRN it names (null when it names no entity). */
    static final class PrnWriter extends BeanPropertyWriter {

        PrnWriter(BeanPropertyWriter href) {
            super(href, PropertyName.construct("prn"));
        }

        @Override
        public void serializeAsField(Object bean, JsonGenerator gen, SerializerProvider provider) throws Exception {
            Object href = get(bean);
            String prn = href instanceof String text ? Prn.fromHref(text).orElse(null) : null;
            gen.writeFieldName(getName());
            if (prn == null) {
                gen.writeNull();
            } else {
                gen.writeString(prn);
            }
        }
    }
}
