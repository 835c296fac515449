<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="es_MX" sourcelanguage="es_MX">
  <context>
    <name />
    <message>
      <source>CaseWords</source>
      <comment>Recepción</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Integración</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Investigación</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Dictamen</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Acuerdo</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Notificación</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Cerrado</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Reservado</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Queja</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Sugerencia</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Reconocimiento</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Orientación</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Gestión</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>1 día hábil</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>%1 días hábiles</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Sin fecha límite</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Vencido hace %1 (%2)</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Vence hoy (%2)</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Completar información: %1, %2</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Resolver: %1, %2</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>El caso ya está en la etapa %1.</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>No se puede saltar etapas: el caso está en %1 y solo puede pasar a la siguiente.</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>No se puede regresar a una etapa anterior: el caso está en %1.</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>El caso está cerrado: solo se puede reabrir.</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Solo se puede reabrir un caso cerrado; este está en %1.</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>El servidor no aceptó el cambio de etapa.</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Etapa</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Cambio de etapa</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Reabierto</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>Nota</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>no aceptado por el servidor</comment>
      <translation>CaseWords</translation>
    </message>
  </context>
  <context>
    <name>AttractPage</name>
    <message>
      <source>Su opinión nos ayuda a mejorar

Toque la pantalla para comenzar</source>
      <extracomment>``Qt::PlainText`` and ``Qt::NoFocus`` as plain ints, for :meth:`QObject.setProperty`.</extracomment>
      <translation>Su opinión nos ayuda a mejorar

Toque la pantalla para comenzar</translation>
    </message>
  </context>
  <context>
    <name>BoardPage</name>
    <message>
      <source>Tablero del módulo</source>
      <translation>Tablero del módulo</translation>
    </message>
    <message>
      <source>Lo que registró este kiosco; se actualiza al abrirlo.</source>
      <translation>Lo que registró este kiosco; se actualiza al abrirlo.</translation>
    </message>
    <message>
      <source>Índice por semana</source>
      <translation>Índice por semana</translation>
    </message>
    <message>
      <source>Volver</source>
      <translation>Volver</translation>
    </message>
    <message>
      <source>Menos de 5 respuestas: no se muestra</source>
      <translation>Menos de 5 respuestas: no se muestra</translation>
    </message>
    <message>
      <source>%1 de 100</source>
      <translation>%1 de 100</translation>
    </message>
    <message>
      <source>Respuestas hoy: %1 · Esta semana: %2</source>
      <translation>Respuestas hoy: %1 · Esta semana: %2</translation>
    </message>
    <message>
      <source>Índice de satisfacción: hoy %1 · esta semana %2 · últimos %4 días %3</source>
      <translation>Índice de satisfacción: hoy %1 · esta semana %2 · últimos %4 días %3</translation>
    </message>
    <message>
      <source>Casos abiertos: %1 · Vencidos: %2 · Por vencer: %3</source>
      <translation>Casos abiertos: %1 · Vencidos: %2 · Por vencer: %3</translation>
    </message>
    <message>
      <source>Reconocimientos recibidos: %1</source>
      <translation>Reconocimientos recibidos: %1</translation>
    </message>
    <message>
      <source>Aún no hay reconocimientos con nombre.</source>
      <translation>Aún no hay reconocimientos con nombre.</translation>
    </message>
  </context>
  <context>
    <name>CampaignFlow</name>
    <message>
      <source>Pregunta {n} de {total}</source>
      <translation>Pregunta {n} de {total}</translation>
    </message>
  </context>
  <context>
    <name>CampaignThanksPage</name>
    <message>
      <source>¡Gracias por sus respuestas!</source>
      <extracomment>The answers' codes, in order: the five points of the scale, then "no aplica".</extracomment>
      <translation>¡Gracias por sus respuestas!</translation>
    </message>
    <message>
      <source>Se guardaron. Con ellas su unidad sabe qué mejorar en la atención.</source>
      <translation>Se guardaron. Con ellas su unidad sabe qué mejorar en la atención.</translation>
    </message>
    <message>
      <source>Terminar</source>
      <translation>Terminar</translation>
    </message>
  </context>
  <context>
    <name>CaseDetailPage</name>
    <message>
      <source>Caso</source>
      <translation>Caso</translation>
    </message>
    <message>
      <source>Historial</source>
      <translation>Historial</translation>
    </message>
    <message>
      <source>Nota (opcional para un cambio de etapa)</source>
      <translation>Nota (opcional para un cambio de etapa)</translation>
    </message>
    <message>
      <source>Nota</source>
      <translation>Nota</translation>
    </message>
    <message>
      <source>Agregar nota</source>
      <translation>Agregar nota</translation>
    </message>
    <message>
      <source>Volver a la lista</source>
      <translation>Volver a la lista</translation>
    </message>
    <message>
      <source>Este caso ya no está en el kiosco.</source>
      <translation>Este caso ya no está en el kiosco.</translation>
    </message>
    <message>
      <source>Caso %1</source>
      <translation>Caso %1</translation>
    </message>
    <message>
      <source>por %1</source>
      <translation>por %1</translation>
    </message>
    <message>
      <source>Reabrir el caso</source>
      <translation>Reabrir el caso</translation>
    </message>
    <message>
      <source>Pasar a %1</source>
      <translation>Pasar a %1</translation>
    </message>
    <message>
      <source>Tipo: %1</source>
      <translation>Tipo: %1</translation>
    </message>
    <message>
      <source>Etapa: %1</source>
      <translation>Etapa: %1</translation>
    </message>
    <message>
      <source>Caso sensible: solo el personal autorizado puede ver su contenido.</source>
      <translation>Caso sensible: solo el personal autorizado puede ver su contenido.</translation>
    </message>
    <message>
      <source>Registrado en otro kiosco de la unidad: se le da seguimiento desde allá o en el tablero central.</source>
      <translation>Registrado en otro kiosco de la unidad: se le da seguimiento desde allá o en el tablero central.</translation>
    </message>
    <message>
      <source>Datos (ocultos): %1</source>
      <translation>Datos (ocultos): %1</translation>
    </message>
    <message>
      <source>El texto se borró del kiosco al terminar su plazo.</source>
      <translation>El texto se borró del kiosco al terminar su plazo.</translation>
    </message>
    <message>
      <source>Relato</source>
      <translation>Relato</translation>
    </message>
    <message>
      <source>Petición</source>
      <translation>Petición</translation>
    </message>
    <message>
      <source>Personal involucrado</source>
      <translation>Personal involucrado</translation>
    </message>
    <message>
      <source>Reconocimiento a</source>
      <translation>Reconocimiento a</translation>
    </message>
    <message>
      <source>Este caso se sigue desde el kiosco donde se registró.</source>
      <translation>Este caso se sigue desde el kiosco donde se registró.</translation>
    </message>
    <message>
      <source>No se pudo guardar el cambio. Intente de nuevo.</source>
      <translation>No se pudo guardar el cambio. Intente de nuevo.</translation>
    </message>
    <message>
      <source>Cambio guardado: se enviará al servidor.</source>
      <translation>Cambio guardado: se enviará al servidor.</translation>
    </message>
    <message>
      <source>Escriba la nota antes de agregarla.</source>
      <translation>Escriba la nota antes de agregarla.</translation>
    </message>
    <message>
      <source>Nota guardada: se enviará al servidor.</source>
      <translation>Nota guardada: se enviará al servidor.</translation>
    </message>
  </context>
  <context>
    <name>CaseFlow</name>
    <message>
      <source>¿Quién lo atendió? (opcional)</source>
      <extracomment>The service page's "no service in particular" (a sugerencia only); stored as no service. The form pages: page -&gt; fields (key, max length (0: a short text), validator, numeric keyboard). The contact form goes on only with one of these (it is there to reach the person).</extracomment>
      <translation>¿Quién lo atendió? (opcional)</translation>
    </message>
    <message>
      <source>Nombre, puesto o cómo lo reconoce. Puede dejarlo en blanco.</source>
      <translation>Nombre, puesto o cómo lo reconoce. Puede dejarlo en blanco.</translation>
    </message>
    <message>
      <source>¿Qué le gustaría que hiciera el IMSS?</source>
      <translation>¿Qué le gustaría que hiciera el IMSS?</translation>
    </message>
    <message>
      <source>Por ejemplo: que me den mi cita, una disculpa, que se revise el caso.</source>
      <translation>Por ejemplo: que me den mi cita, una disculpa, que se revise el caso.</translation>
    </message>
    <message>
      <source>¿A quién quiere reconocer?</source>
      <translation>¿A quién quiere reconocer?</translation>
    </message>
    <message>
      <source>Escriba el nombre de la persona o del área.</source>
      <translation>Escriba el nombre de la persona o del área.</translation>
    </message>
    <message>
      <source>¿Podemos publicar su reconocimiento en el Muro del Trato Digno?</source>
      <translation>¿Podemos publicar su reconocimiento en el Muro del Trato Digno?</translation>
    </message>
    <message>
      <source>Sí, pueden publicarlo</source>
      <translation>Sí, pueden publicarlo</translation>
    </message>
    <message>
      <source>No, prefiero que no se publique</source>
      <translation>No, prefiero que no se publique</translation>
    </message>
    <message>
      <source>Se publica sin sus datos personales y después de revisarlo.</source>
      <translation>Se publica sin sus datos personales y después de revisarlo.</translation>
    </message>
    <message>
      <source>¿Quiere dejar sus datos de contacto?</source>
      <translation>¿Quiere dejar sus datos de contacto?</translation>
    </message>
    <message>
      <source>Listo: tome su comprobante.</source>
      <translation>Listo: tome su comprobante.</translation>
    </message>
    <message>
      <source>No se pudo imprimir. Anote su folio o tome una foto del código.</source>
      <translation>No se pudo imprimir. Anote su folio o tome una foto del código.</translation>
    </message>
    <message>
      <source>No, continuar sin datos</source>
      <translation>No, continuar sin datos</translation>
    </message>
    <message>
      <source>Sus datos</source>
      <translation>Sus datos</translation>
    </message>
    <message>
      <source>Todos son opcionales. Llene solo los que quiera.</source>
      <translation>Todos son opcionales. Llene solo los que quiera.</translation>
    </message>
    <message>
      <source>Nombre</source>
      <translation>Nombre</translation>
    </message>
    <message>
      <source>NSS</source>
      <translation>NSS</translation>
    </message>
    <message>
      <source>CURP</source>
      <translation>CURP</translation>
    </message>
    <message>
      <source>¿Cómo podemos contactarle?</source>
      <translation>¿Cómo podemos contactarle?</translation>
    </message>
    <message>
      <source>Sí, acepto dejar mis datos para que me avisen</source>
      <translation>Sí, acepto dejar mis datos para que me avisen</translation>
    </message>
    <message>
      <source>Déjenos al menos un teléfono o un correo para avisarle la respuesta.</source>
      <translation>Déjenos al menos un teléfono o un correo para avisarle la respuesta.</translation>
    </message>
    <message>
      <source>Teléfono</source>
      <translation>Teléfono</translation>
    </message>
    <message>
      <source>Correo</source>
      <translation>Correo</translation>
    </message>
    <message>
      <source>Código postal</source>
      <translation>Código postal</translation>
    </message>
    <message>
      <source>¿Qué desea presentar?</source>
      <translation>¿Qué desea presentar?</translation>
    </message>
    <message>
      <source>Una queja: algo salió mal</source>
      <translation>Una queja: algo salió mal</translation>
    </message>
    <message>
      <source>Una sugerencia: una idea para mejorar</source>
      <translation>Una sugerencia: una idea para mejorar</translation>
    </message>
    <message>
      <source>Un reconocimiento: alguien me atendió muy bien</source>
      <translation>Un reconocimiento: alguien me atendió muy bien</translation>
    </message>
    <message>
      <source>Continuar</source>
      <translation>Continuar</translation>
    </message>
    <message>
      <source>Revise su solicitud antes de enviarla</source>
      <translation>Revise su solicitud antes de enviarla</translation>
    </message>
    <message>
      <source>Enviar</source>
      <translation>Enviar</translation>
    </message>
    <message>
      <source>Elija hasta {n}.</source>
      <translation>Elija hasta {n}.</translation>
    </message>
    <message>
      <source>Tipo</source>
      <translation>Tipo</translation>
    </message>
    <message>
      <source>Servicio</source>
      <translation>Servicio</translation>
    </message>
    <message>
      <source>Personal</source>
      <translation>Personal</translation>
    </message>
    <message>
      <source>Lo que pide</source>
      <translation>Lo que pide</translation>
    </message>
    <message>
      <source>A quién reconoce</source>
      <translation>A quién reconoce</translation>
    </message>
    <message>
      <source>Muro del Trato Digno</source>
      <translation>Muro del Trato Digno</translation>
    </message>
    <message>
      <source>Sí, publicar</source>
      <translation>Sí, publicar</translation>
    </message>
    <message>
      <source>No publicar</source>
      <translation>No publicar</translation>
    </message>
    <message>
      <source>NSS {v}</source>
      <translation>NSS {v}</translation>
    </message>
    <message>
      <source>CURP {v}</source>
      <translation>CURP {v}</translation>
    </message>
    <message>
      <source>Tel. {v}</source>
      <translation>Tel. {v}</translation>
    </message>
    <message>
      <source>C.P. {v}</source>
      <translation>C.P. {v}</translation>
    </message>
    <message>
      <source>Sin datos de contacto</source>
      <translation>Sin datos de contacto</translation>
    </message>
  </context>
  <context>
    <name>CaseWording</name>
    <message>
      <source>Queja</source>
      <translation>Queja</translation>
    </message>
    <message>
      <source>Sugerencia</source>
      <translation>Sugerencia</translation>
    </message>
    <message>
      <source>Reconocimiento</source>
      <translation>Reconocimiento</translation>
    </message>
    <message>
      <source>¿En qué servicio ocurrió?</source>
      <extracomment>The service question; a sugerencia may be about no service in particular.</extracomment>
      <translation>¿En qué servicio ocurrió?</translation>
    </message>
    <message>
      <source>¿Sobre qué servicio es su sugerencia?</source>
      <translation>¿Sobre qué servicio es su sugerencia?</translation>
    </message>
    <message>
      <source>¿En qué servicio lo atendieron?</source>
      <translation>¿En qué servicio lo atendieron?</translation>
    </message>
    <message>
      <source>Ninguno en particular</source>
      <translation>Ninguno en particular</translation>
    </message>
    <message>
      <source>¿Qué pasó?</source>
      <translation>¿Qué pasó?</translation>
    </message>
    <message>
      <source>¿Sobre qué es su sugerencia?</source>
      <translation>¿Sobre qué es su sugerencia?</translation>
    </message>
    <message>
      <source>¿Qué quiere reconocer?</source>
      <translation>¿Qué quiere reconocer?</translation>
    </message>
    <message>
      <source>Cuéntenos qué pasó</source>
      <extracomment>(question, hint) of the narrative page; a reconocimiento's is optional.</extracomment>
      <translation>Cuéntenos qué pasó</translation>
    </message>
    <message>
      <source>Cuándo y dónde ocurrió, y quién participó. Escriba con sus palabras.</source>
      <translation>Cuándo y dónde ocurrió, y quién participó. Escriba con sus palabras.</translation>
    </message>
    <message>
      <source>Escriba su sugerencia</source>
      <translation>Escriba su sugerencia</translation>
    </message>
    <message>
      <source>¿Qué podemos mejorar?</source>
      <translation>¿Qué podemos mejorar?</translation>
    </message>
    <message>
      <source>Cuéntenos qué hizo (opcional)</source>
      <translation>Cuéntenos qué hizo (opcional)</translation>
    </message>
    <message>
      <source>Puede dejarlo en blanco.</source>
      <translation>Puede dejarlo en blanco.</translation>
    </message>
    <message>
      <source>Qué pasó</source>
      <extracomment>(caption of the categories, caption of the narrative) on the review page.</extracomment>
      <translation>Qué pasó</translation>
    </message>
    <message>
      <source>Relato</source>
      <translation>Relato</translation>
    </message>
    <message>
      <source>Tema</source>
      <translation>Tema</translation>
    </message>
    <message>
      <source>Su sugerencia</source>
      <translation>Su sugerencia</translation>
    </message>
    <message>
      <source>Qué reconoce</source>
      <translation>Qué reconoce</translation>
    </message>
    <message>
      <source>Lo que nos cuenta</source>
      <translation>Lo que nos cuenta</translation>
    </message>
    <message>
      <source>Sin un teléfono o un correo no podremos darle seguimiento ni avisarle la respuesta a su queja. Aun así puede presentarla sin datos.</source>
      <extracomment>The hint of "¿Quiere dejar sus datos de contacto?".</extracomment>
      <translation>Sin un teléfono o un correo no podremos darle seguimiento ni avisarle la respuesta a su queja. Aun así puede presentarla sin datos.</translation>
    </message>
    <message>
      <source>Es opcional. Si los deja, solo los usaremos para avisarle.</source>
      <translation>Es opcional. Si los deja, solo los usaremos para avisarle.</translation>
    </message>
    <message>
      <source>Acepto que el IMSS use lo que cuente para atender mi queja</source>
      <extracomment>The consent a type asks on the privacy notice (None: the notice only informs).</extracomment>
      <translation>Acepto que el IMSS use lo que cuente para atender mi queja</translation>
    </message>
    <message>
      <source>Su queja quedó registrada</source>
      <translation>Su queja quedó registrada</translation>
    </message>
    <message>
      <source>Su sugerencia quedó registrada</source>
      <translation>Su sugerencia quedó registrada</translation>
    </message>
    <message>
      <source>Su reconocimiento quedó registrado</source>
      <translation>Su reconocimiento quedó registrado</translation>
    </message>
    <message>
      <source>Recibida: el módulo de Trato Digno la tiene</source>
      <translation>Recibida: el módulo de Trato Digno la tiene</translation>
    </message>
    <message>
      <source>En integración: se reúne la información del caso</source>
      <translation>En integración: se reúne la información del caso</translation>
    </message>
    <message>
      <source>En investigación</source>
      <translation>En investigación</translation>
    </message>
    <message>
      <source>En dictamen: se decide la respuesta</source>
      <translation>En dictamen: se decide la respuesta</translation>
    </message>
    <message>
      <source>Con acuerdo: ya hay una respuesta</source>
      <translation>Con acuerdo: ya hay una respuesta</translation>
    </message>
    <message>
      <source>En notificación: se le avisa la respuesta</source>
      <translation>En notificación: se le avisa la respuesta</translation>
    </message>
    <message>
      <source>Cerrada</source>
      <translation>Cerrada</translation>
    </message>
  </context>
  <context>
    <name>CaseWords</name>
    <message>
      <source>por enviar</source>
      <translation>por enviar</translation>
    </message>
  </context>
  <context>
    <name>CasesPage</name>
    <message>
      <source>Casos del módulo</source>
      <extracomment>The role holding a row's :class:`CaseRow`.</extracomment>
      <translation>Casos del módulo</translation>
    </message>
    <message>
      <source>Buscar por folio</source>
      <translation>Buscar por folio</translation>
    </message>
    <message>
      <source>Buscar</source>
      <translation>Buscar</translation>
    </message>
    <message>
      <source>No hay casos que mostrar.</source>
      <translation>No hay casos que mostrar.</translation>
    </message>
    <message>
      <source>Lista de casos</source>
      <translation>Lista de casos</translation>
    </message>
    <message>
      <source>Volver</source>
      <translation>Volver</translation>
    </message>
    <message>
      <source>Vencidos primero. Abiertos: %1 · Vencidos: %2 · Por vencer: %3 · Total: %4</source>
      <translation>Vencidos primero. Abiertos: %1 · Vencidos: %2 · Por vencer: %3 · Total: %4</translation>
    </message>
  </context>
  <context>
    <name>ConfirmationPage</name>
    <message>
      <source>Su número de folio es:</source>
      <translation>Su número de folio es:</translation>
    </message>
    <message>
      <source>Su caso será atendido con reserva por personal especializado.</source>
      <translation>Su caso será atendido con reserva por personal especializado.</translation>
    </message>
    <message>
      <source>Imprimir comprobante</source>
      <translation>Imprimir comprobante</translation>
    </message>
    <message>
      <source>Consulte su caso con su teléfono</source>
      <translation>Consulte su caso con su teléfono</translation>
    </message>
    <message>
      <source>Terminar</source>
      <translation>Terminar</translation>
    </message>
  </context>
  <context>
    <name>DeskEventPage</name>
    <message>
      <source>Unidad donde ocurrió</source>
      <translation>Unidad donde ocurrió</translation>
    </message>
    <message>
      <source>Servicio</source>
      <translation>Servicio</translation>
    </message>
    <message>
      <source>¿De qué se trata?</source>
      <translation>¿De qué se trata?</translation>
    </message>
    <message>
      <source>Hoy</source>
      <translation>Hoy</translation>
    </message>
    <message>
      <source>Ayer</source>
      <translation>Ayer</translation>
    </message>
    <message>
      <source>Fecha del hecho</source>
      <translation>Fecha del hecho</translation>
    </message>
    <message>
      <source>Hora del hecho</source>
      <translation>Hora del hecho</translation>
    </message>
    <message>
      <source>Relato en orden: qué pasó, cuándo, dónde, quiénes</source>
      <translation>Relato en orden: qué pasó, cuándo, dónde, quiénes</translation>
    </message>
    <message>
      <source>Personal involucrado</source>
      <translation>Personal involucrado</translation>
    </message>
    <message>
      <source>Qué pide la persona</source>
      <translation>Qué pide la persona</translation>
    </message>
    <message>
      <source>A quién reconoce</source>
      <translation>A quién reconoce</translation>
    </message>
    <message>
      <source>La persona acepta que se publique en el Muro del Trato Digno</source>
      <translation>La persona acepta que se publique en el Muro del Trato Digno</translation>
    </message>
    <message>
      <source>La persona no sabe o no puede firmar</source>
      <translation>La persona no sabe o no puede firmar</translation>
    </message>
    <message>
      <source>Confirmo, como agente, que la persona no sabe o no puede firmar</source>
      <translation>Confirmo, como agente, que la persona no sabe o no puede firmar</translation>
    </message>
    <message>
      <source>Le leí el aviso de privacidad y la persona aceptó</source>
      <translation>Le leí el aviso de privacidad y la persona aceptó</translation>
    </message>
    <message>
      <source>Guardar</source>
      <translation>Guardar</translation>
    </message>
    <message>
      <source>{type}: qué pasó</source>
      <translation>{type}: qué pasó</translation>
    </message>
  </context>
  <context>
    <name>DeskPersonPage</name>
    <message>
      <source>Nombre de quien presenta</source>
      <translation>Nombre de quien presenta</translation>
    </message>
    <message>
      <source>Nombre de quien recibió la atención</source>
      <translation>Nombre de quien recibió la atención</translation>
    </message>
    <message>
      <source>NSS</source>
      <translation>NSS</translation>
    </message>
    <message>
      <source>CURP</source>
      <translation>CURP</translation>
    </message>
    <message>
      <source>Teléfono</source>
      <translation>Teléfono</translation>
    </message>
    <message>
      <source>Correo electrónico</source>
      <translation>Correo electrónico</translation>
    </message>
    <message>
      <source>Domicilio</source>
      <translation>Domicilio</translation>
    </message>
    <message>
      <source>Código postal</source>
      <translation>Código postal</translation>
    </message>
    <message>
      <source>UMF de adscripción</source>
      <translation>UMF de adscripción</translation>
    </message>
    <message>
      <source>Es la misma persona que recibió la atención</source>
      <translation>Es la misma persona que recibió la atención</translation>
    </message>
    <message>
      <source>Continuar</source>
      <translation>Continuar</translation>
    </message>
    <message>
      <source>{type}: quién la presenta</source>
      <translation>{type}: quién la presenta</translation>
    </message>
    <message>
      <source>El nombre de quien presenta es necesario; lo demás, si la persona lo da.</source>
      <translation>El nombre de quien presenta es necesario; lo demás, si la persona lo da.</translation>
    </message>
    <message>
      <source>{type}: datos de contacto</source>
      <translation>{type}: datos de contacto</translation>
    </message>
    <message>
      <source>Todo es opcional: solo si la persona quiere que le avisen.</source>
      <translation>Todo es opcional: solo si la persona quiere que le avisen.</translation>
    </message>
  </context>
  <context>
    <name>EnrolPage</name>
    <message>
      <source>Registrar este kiosco</source>
      <translation>Registrar este kiosco</translation>
    </message>
    <message>
      <source>Dirección del servidor</source>
      <translation>Dirección del servidor</translation>
    </message>
    <message>
      <source>Registrar</source>
      <translation>Registrar</translation>
    </message>
    <message>
      <source>Más tarde</source>
      <translation>Más tarde</translation>
    </message>
    <message>
      <source>Escriba la dirección del servidor central y el código de registro que dio el tablero (Kioscos).</source>
      <translation>Escriba la dirección del servidor central y el código de registro que dio el tablero (Kioscos).</translation>
    </message>
    <message>
      <source>Código de registro</source>
      <translation>Código de registro</translation>
    </message>
    <message>
      <source>Comenzar</source>
      <translation>Comenzar</translation>
    </message>
    <message>
      <source>Registrando el kiosco con el servidor…</source>
      <translation>Registrando el kiosco con el servidor…</translation>
    </message>
  </context>
  <context>
    <name>Enrolment</name>
    <message>
      <source>El código ya venció. Pida un código nuevo en el tablero (Kioscos).</source>
      <extracomment>Per :attr:`kiosk.sync.enrolment.EnrolmentError.code`.</extracomment>
      <translation>El código ya venció. Pida un código nuevo en el tablero (Kioscos).</translation>
    </message>
    <message>
      <source>Este código ya se usó para registrar otro kiosco. Pida un código nuevo en el tablero (Kioscos).</source>
      <translation>Este código ya se usó para registrar otro kiosco. Pida un código nuevo en el tablero (Kioscos).</translation>
    </message>
    <message>
      <source>El código no es correcto. Revise cada letra y número e intente de nuevo.</source>
      <translation>El código no es correcto. Revise cada letra y número e intente de nuevo.</translation>
    </message>
    <message>
      <source>Escriba el código completo: 8 letras y números, por ejemplo ABCD-2345.</source>
      <translation>Escriba el código completo: 8 letras y números, por ejemplo ABCD-2345.</translation>
    </message>
    <message>
      <source>Hubo demasiados intentos con códigos incorrectos. Espere 15 minutos e intente de nuevo.</source>
      <translation>Hubo demasiados intentos con códigos incorrectos. Espere 15 minutos e intente de nuevo.</translation>
    </message>
    <message>
      <source>No se pudo contactar al servidor. Revise la dirección y la conexión a la red e intente de nuevo.</source>
      <translation>No se pudo contactar al servidor. Revise la dirección y la conexión a la red e intente de nuevo.</translation>
    </message>
    <message>
      <source>La dirección del servidor debe empezar con https://</source>
      <translation>La dirección del servidor debe empezar con https://</translation>
    </message>
    <message>
      <source>Este kiosco ya está registrado.</source>
      <translation>Este kiosco ya está registrado.</translation>
    </message>
    <message>
      <source>El kiosco no pudo guardar su registro en el disco. Avise a soporte técnico.</source>
      <translation>El kiosco no pudo guardar su registro en el disco. Avise a soporte técnico.</translation>
    </message>
    <message>
      <source>El servidor no aceptó el registro (código {code}). Avise a soporte técnico.</source>
      <translation>El servidor no aceptó el registro (código {code}). Avise a soporte técnico.</translation>
    </message>
    <message>
      <source>Kiosco registrado con el servidor central. Ya puede usarse.</source>
      <translation>Kiosco registrado con el servidor central. Ya puede usarse.</translation>
    </message>
  </context>
  <context>
    <name>ExportPage</name>
    <message>
      <source>Exportar a una memoria USB</source>
      <extracomment>The folder choice that means the drive (or home folder) itself.</extracomment>
      <translation>Exportar a una memoria USB</translation>
    </message>
    <message>
      <source>Elija dónde guardar los casos y las respuestas (CSV para Excel). No se incluyen datos personales.</source>
      <translation>Elija dónde guardar los casos y las respuestas (CSV para Excel). No se incluyen datos personales.</translation>
    </message>
    <message>
      <source>No se encontró ninguna memoria USB ni carpeta. Conecte la memoria y toque «Buscar de nuevo».</source>
      <translation>No se encontró ninguna memoria USB ni carpeta. Conecte la memoria y toque «Buscar de nuevo».</translation>
    </message>
    <message>
      <source>Buscar de nuevo</source>
      <translation>Buscar de nuevo</translation>
    </message>
    <message>
      <source>¿En qué carpeta?</source>
      <translation>¿En qué carpeta?</translation>
    </message>
    <message>
      <source>Nombre de una carpeta nueva</source>
      <translation>Nombre de una carpeta nueva</translation>
    </message>
    <message>
      <source>Crear carpeta</source>
      <translation>Crear carpeta</translation>
    </message>
    <message>
      <source>Exportar</source>
      <translation>Exportar</translation>
    </message>
    <message>
      <source>Volver</source>
      <translation>Volver</translation>
    </message>
    <message>
      <source>Memoria USB: %1</source>
      <translation>Memoria USB: %1</translation>
    </message>
    <message>
      <source>Carpeta del kiosco: %1</source>
      <translation>Carpeta del kiosco: %1</translation>
    </message>
    <message>
      <source>Directo en la memoria</source>
      <translation>Directo en la memoria</translation>
    </message>
    <message>
      <source>Directo en la carpeta del kiosco</source>
      <translation>Directo en la carpeta del kiosco</translation>
    </message>
    <message>
      <source>Carpeta «%1» lista: ahí se guardará.</source>
      <translation>Carpeta «%1» lista: ahí se guardará.</translation>
    </message>
    <message>
      <source>Listo. Se guardó en %1:
%2 (%3 casos)
%4 (%5 respuestas)</source>
      <translation>Listo. Se guardó en %1:
%2 (%3 casos)
%4 (%5 respuestas)</translation>
    </message>
    <message>
      <source>La memoria está llena. No se guardó nada: libere espacio o use otra memoria.</source>
      <translation>La memoria está llena. No se guardó nada: libere espacio o use otra memoria.</translation>
    </message>
    <message>
      <source>La memoria no permite guardar (está protegida o es de solo lectura). No se guardó nada: use otra memoria.</source>
      <translation>La memoria no permite guardar (está protegida o es de solo lectura). No se guardó nada: use otra memoria.</translation>
    </message>
    <message>
      <source>No se encontró la memoria: quizá se retiró. No se guardó nada: conéctela y toque «Buscar de nuevo».</source>
      <translation>No se encontró la memoria: quizá se retiró. No se guardó nada: conéctela y toque «Buscar de nuevo».</translation>
    </message>
    <message>
      <source>Ese nombre no sirve para una carpeta. Use letras, números, espacios y guiones (hasta 64).</source>
      <translation>Ese nombre no sirve para una carpeta. Use letras, números, espacios y guiones (hasta 64).</translation>
    </message>
    <message>
      <source>Ya hay un archivo con ese nombre en la memoria: escriba otro.</source>
      <translation>Ya hay un archivo con ese nombre en la memoria: escriba otro.</translation>
    </message>
    <message>
      <source>No se pudo exportar. No se guardó nada: intente de nuevo.</source>
      <translation>No se pudo exportar. No se guardó nada: intente de nuevo.</translation>
    </message>
    <message>
      <source>Sí</source>
      <translation>Sí</translation>
    </message>
    <message>
      <source>No</source>
      <translation>No</translation>
    </message>
    <message>
      <source>casos</source>
      <translation>casos</translation>
    </message>
    <message>
      <source>respuestas</source>
      <translation>respuestas</translation>
    </message>
    <message>
      <source>Folio</source>
      <translation>Folio</translation>
    </message>
    <message>
      <source>Tipo</source>
      <translation>Tipo</translation>
    </message>
    <message>
      <source>Etapa</source>
      <translation>Etapa</translation>
    </message>
    <message>
      <source>Recibido</source>
      <translation>Recibido</translation>
    </message>
    <message>
      <source>Vence</source>
      <translation>Vence</translation>
    </message>
    <message>
      <source>Iniciales</source>
      <translation>Iniciales</translation>
    </message>
    <message>
      <source>Servicio</source>
      <translation>Servicio</translation>
    </message>
    <message>
      <source>Categorías</source>
      <translation>Categorías</translation>
    </message>
    <message>
      <source>Persona reconocida</source>
      <translation>Persona reconocida</translation>
    </message>
    <message>
      <source>Fecha</source>
      <translation>Fecha</translation>
    </message>
    <message>
      <source>Calificación</source>
      <translation>Calificación</translation>
    </message>
    <message>
      <source>Motivos</source>
      <translation>Motivos</translation>
    </message>
    <message>
      <source>Idioma</source>
      <translation>Idioma</translation>
    </message>
    <message>
      <source>Canal</source>
      <translation>Canal</translation>
    </message>
    <message>
      <source>Posible mal uso</source>
      <translation>Posible mal uso</translation>
    </message>
  </context>
  <context>
    <name>FolioEntryPage</name>
    <message>
      <source>Consultar un folio</source>
      <translation>Consultar un folio</translation>
    </message>
    <message>
      <source>Escriba el folio de su comprobante, con o sin guiones; por ejemplo, 3KQ0-1000-04TX.</source>
      <translation>Escriba el folio de su comprobante, con o sin guiones; por ejemplo, 3KQ0-1000-04TX.</translation>
    </message>
    <message>
      <source>Consultar</source>
      <translation>Consultar</translation>
    </message>
  </context>
  <context>
    <name>FolioFlow</name>
    <message>
      <source>No podemos consultar folios en este momento. Pregunte en el módulo de Trato Digno.</source>
      <translation>No podemos consultar folios en este momento. Pregunte en el módulo de Trato Digno.</translation>
    </message>
  </context>
  <context>
    <name>FolioResultPage</name>
    <message>
      <source>Consultar otro folio</source>
      <translation>Consultar otro folio</translation>
    </message>
    <message>
      <source>Terminar</source>
      <translation>Terminar</translation>
    </message>
    <message>
      <source>Folio {folio}</source>
      <translation>Folio {folio}</translation>
    </message>
  </context>
  <context>
    <name>HubPage</name>
    <message>
      <source>Cerrar sesión</source>
      <translation>Cerrar sesión</translation>
    </message>
  </context>
  <context>
    <name>IdlePanel</name>
    <message>
      <source>¿Sigue ahí?</source>
      <translation>¿Sigue ahí?</translation>
    </message>
    <message>
      <source>Si no responde, borraremos lo que escribió para proteger sus datos.</source>
      <translation>Si no responde, borraremos lo que escribió para proteger sus datos.</translation>
    </message>
    <message>
      <source>Sí, continuar</source>
      <translation>Sí, continuar</translation>
    </message>
    <message>
      <source>La pantalla volverá al inicio en 1 segundo</source>
      <translation>La pantalla volverá al inicio en 1 segundo</translation>
    </message>
    <message>
      <source>La pantalla volverá al inicio en {n} segundos</source>
      <translation>La pantalla volverá al inicio en {n} segundos</translation>
    </message>
  </context>
  <context>
    <name>MenuFlow</name>
    <message>
      <source>Elija su idioma</source>
      <translation>Elija su idioma</translation>
    </message>
    <message>
      <source>¿Qué desea hacer?</source>
      <translation>¿Qué desea hacer?</translation>
    </message>
    <message>
      <source>Calificar la atención que recibí</source>
      <translation>Calificar la atención que recibí</translation>
    </message>
    <message>
      <source>Presentar una queja, sugerencia o reconocimiento</source>
      <translation>Presentar una queja, sugerencia o reconocimiento</translation>
    </message>
    <message>
      <source>Consultar un folio</source>
      <translation>Consultar un folio</translation>
    </message>
  </context>
  <context>
    <name>Messages</name>
    <message>
      <source>Este dato es necesario.</source>
      <translation>Este dato es necesario.</translation>
    </message>
    <message>
      <source>El NSS lleva solo números.</source>
      <translation>El NSS lleva solo números.</translation>
    </message>
    <message>
      <source>El NSS tiene 11 números; falta 1.</source>
      <extracomment>code -&gt; (the parameter holding the count, sentence for 1, sentence for {n}).</extracomment>
      <translation>El NSS tiene 11 números; falta 1.</translation>
    </message>
    <message>
      <source>El NSS tiene 11 números; faltan {n}.</source>
      <translation>El NSS tiene 11 números; faltan {n}.</translation>
    </message>
    <message>
      <source>El NSS tiene 11 números; sobra 1.</source>
      <translation>El NSS tiene 11 números; sobra 1.</translation>
    </message>
    <message>
      <source>El NSS tiene 11 números; sobran {n}.</source>
      <translation>El NSS tiene 11 números; sobran {n}.</translation>
    </message>
    <message>
      <source>Este NSS no es válido. Revise que los números estén bien escritos.</source>
      <translation>Este NSS no es válido. Revise que los números estén bien escritos.</translation>
    </message>
    <message>
      <source>La CURP tiene 18 caracteres; falta 1.</source>
      <translation>La CURP tiene 18 caracteres; falta 1.</translation>
    </message>
    <message>
      <source>La CURP tiene 18 caracteres; faltan {n}.</source>
      <translation>La CURP tiene 18 caracteres; faltan {n}.</translation>
    </message>
    <message>
      <source>La CURP tiene 18 caracteres; sobra 1.</source>
      <translation>La CURP tiene 18 caracteres; sobra 1.</translation>
    </message>
    <message>
      <source>La CURP tiene 18 caracteres; sobran {n}.</source>
      <translation>La CURP tiene 18 caracteres; sobran {n}.</translation>
    </message>
    <message>
      <source>La CURP no tiene la forma correcta. Revise letras y números.</source>
      <translation>La CURP no tiene la forma correcta. Revise letras y números.</translation>
    </message>
    <message>
      <source>La fecha de nacimiento dentro de la CURP no es válida.</source>
      <translation>La fecha de nacimiento dentro de la CURP no es válida.</translation>
    </message>
    <message>
      <source>El estado de nacimiento dentro de la CURP no es válido.</source>
      <translation>El estado de nacimiento dentro de la CURP no es válido.</translation>
    </message>
    <message>
      <source>Esta CURP no es válida. Revise que esté bien escrita.</source>
      <translation>Esta CURP no es válida. Revise que esté bien escrita.</translation>
    </message>
    <message>
      <source>El teléfono lleva solo números.</source>
      <translation>El teléfono lleva solo números.</translation>
    </message>
    <message>
      <source>Quitamos los emojis: aquí solo se pueden escribir letras, números y signos.</source>
      <translation>Quitamos los emojis: aquí solo se pueden escribir letras, números y signos.</translation>
    </message>
    <message>
      <source>El folio lleva solo números y letras (sin la U). Revise lo que escribió.</source>
      <translation>El folio lleva solo números y letras (sin la U). Revise lo que escribió.</translation>
    </message>
    <message>
      <source>Este folio tiene un error: algún carácter está mal escrito o cambiado de lugar. Compárelo con su comprobante.</source>
      <translation>Este folio tiene un error: algún carácter está mal escrito o cambiado de lugar. Compárelo con su comprobante.</translation>
    </message>
    <message>
      <source>Escriba la fecha con día, mes y año, por ejemplo 02/03/2026.</source>
      <translation>Escriba la fecha con día, mes y año, por ejemplo 02/03/2026.</translation>
    </message>
    <message>
      <source>Esa fecha no existe. Revise el día y el mes.</source>
      <translation>Esa fecha no existe. Revise el día y el mes.</translation>
    </message>
    <message>
      <source>Escriba la hora con horas y minutos, por ejemplo 09:30 o 1745.</source>
      <translation>Escriba la hora con horas y minutos, por ejemplo 09:30 o 1745.</translation>
    </message>
    <message>
      <source>Esa hora no existe: las horas van de 00 a 23 y los minutos de 00 a 59.</source>
      <translation>Esa hora no existe: las horas van de 00 a 23 y los minutos de 00 a 59.</translation>
    </message>
    <message>
      <source>El teléfono tiene 10 números; falta 1.</source>
      <translation>El teléfono tiene 10 números; falta 1.</translation>
    </message>
    <message>
      <source>El teléfono tiene 10 números; faltan {n}.</source>
      <translation>El teléfono tiene 10 números; faltan {n}.</translation>
    </message>
    <message>
      <source>El folio tiene 12 caracteres; falta 1.</source>
      <translation>El folio tiene 12 caracteres; falta 1.</translation>
    </message>
    <message>
      <source>El folio tiene 12 caracteres; faltan {n}.</source>
      <translation>El folio tiene 12 caracteres; faltan {n}.</translation>
    </message>
    <message>
      <source>El folio tiene 12 caracteres; sobra 1.</source>
      <translation>El folio tiene 12 caracteres; sobra 1.</translation>
    </message>
    <message>
      <source>El folio tiene 12 caracteres; sobran {n}.</source>
      <translation>El folio tiene 12 caracteres; sobran {n}.</translation>
    </message>
    <message>
      <source>Con solo números, la fecha lleva 8 (DDMMAAAA); falta 1.</source>
      <translation>Con solo números, la fecha lleva 8 (DDMMAAAA); falta 1.</translation>
    </message>
    <message>
      <source>Con solo números, la fecha lleva 8 (DDMMAAAA); faltan {n}.</source>
      <translation>Con solo números, la fecha lleva 8 (DDMMAAAA); faltan {n}.</translation>
    </message>
    <message>
      <source>El teléfono tiene 10 números; sobra 1.</source>
      <translation>El teléfono tiene 10 números; sobra 1.</translation>
    </message>
    <message>
      <source>El teléfono tiene 10 números; sobran {n}.</source>
      <translation>El teléfono tiene 10 números; sobran {n}.</translation>
    </message>
    <message>
      <source>El código postal lleva solo números.</source>
      <translation>El código postal lleva solo números.</translation>
    </message>
    <message>
      <source>El código postal tiene 5 números.</source>
      <translation>El código postal tiene 5 números.</translation>
    </message>
    <message>
      <source>Este código postal no existe en México.</source>
      <translation>Este código postal no existe en México.</translation>
    </message>
    <message>
      <source>El correo debe tener la forma nombre@ejemplo.com.</source>
      <translation>El correo debe tener la forma nombre@ejemplo.com.</translation>
    </message>
    <message>
      <source>Caben hasta {limit} caracteres; el texto se recortó.</source>
      <translation>Caben hasta {limit} caracteres; el texto se recortó.</translation>
    </message>
    <message>
      <source>Quitamos un carácter que no se puede guardar.</source>
      <translation>Quitamos un carácter que no se puede guardar.</translation>
    </message>
    <message>
      <source>Quitamos un carácter de control que no se puede guardar.</source>
      <translation>Quitamos un carácter de control que no se puede guardar.</translation>
    </message>
    <message>
      <source>Revise este dato.</source>
      <translation>Revise este dato.</translation>
    </message>
  </context>
  <context>
    <name>OnScreenKeyboard</name>
    <message>
      <source>Borrar</source>
      <translation>Borrar</translation>
    </message>
    <message>
      <source>Mayús</source>
      <translation>Mayús</translation>
    </message>
    <message>
      <source>123</source>
      <translation>123</translation>
    </message>
    <message>
      <source>espacio</source>
      <translation>espacio</translation>
    </message>
    <message>
      <source>ABC</source>
      <translation>ABC</translation>
    </message>
  </context>
  <context>
    <name>PinPage</name>
    <message>
      <source>Acceso del personal</source>
      <extracomment>What the sign-in hands over for the kiosk's own administrator (it has no number).</extracomment>
      <translation>Acceso del personal</translation>
    </message>
    <message>
      <source>Escriba su número de empleado y su PIN.</source>
      <translation>Escriba su número de empleado y su PIN.</translation>
    </message>
    <message>
      <source>Número de empleado</source>
      <translation>Número de empleado</translation>
    </message>
    <message>
      <source>PIN</source>
      <translation>PIN</translation>
    </message>
    <message>
      <source>Soy el administrador de este kiosco</source>
      <translation>Soy el administrador de este kiosco</translation>
    </message>
    <message>
      <source>Entrar</source>
      <translation>Entrar</translation>
    </message>
  </context>
  <context>
    <name>PrivacyPage</name>
    <message>
      <source>Aviso de privacidad</source>
      <translation>Aviso de privacidad</translation>
    </message>
    <message>
      <source>El IMSS usará lo que escriba aquí, y sus datos de contacto solo si decide dejarlos, para atender y dar seguimiento a su solicitud.</source>
      <translation>El IMSS usará lo que escriba aquí, y sus datos de contacto solo si decide dejarlos, para atender y dar seguimiento a su solicitud.</translation>
    </message>
    <message>
      <source>No necesita dar su nombre. Lo que cuente puede incluir datos de su salud: el IMSS los protege como datos sensibles.</source>
      <translation>No necesita dar su nombre. Lo que cuente puede incluir datos de su salud: el IMSS los protege como datos sensibles.</translation>
    </message>
    <message>
      <source>Sus datos de contacto se cifran en este kiosco y solo el personal autorizado puede ver lo que escriba.</source>
      <translation>Sus datos de contacto se cifran en este kiosco y solo el personal autorizado puede ver lo que escriba.</translation>
    </message>
    <message>
      <source>Puede pedir acceso, corrección o cancelación de sus datos en el módulo de Trato Digno.</source>
      <translation>Puede pedir acceso, corrección o cancelación de sus datos en el módulo de Trato Digno.</translation>
    </message>
    <message>
      <source>Aviso completo: escanee con su teléfono</source>
      <translation>Aviso completo: escanee con su teléfono</translation>
    </message>
    <message>
      <source>Continuar</source>
      <translation>Continuar</translation>
    </message>
  </context>
  <context>
    <name>QCoreApplication</name>
    <message>
      <source>CaseWords</source>
      <comment>Registrado</comment>
      <translation>CaseWords</translation>
    </message>
    <message>
      <source>CaseWords</source>
      <comment>por enviar</comment>
      <translation>CaseWords</translation>
    </message>
  </context>
  <context>
    <name>QuickLogPage</name>
    <message>
      <source>Tema</source>
      <translation>Tema</translation>
    </message>
    <message>
      <source>¿Cómo terminó?</source>
      <translation>¿Cómo terminó?</translation>
    </message>
    <message>
      <source>Escribir una nota (opcional)</source>
      <translation>Escribir una nota (opcional)</translation>
    </message>
    <message>
      <source>Guardar</source>
      <translation>Guardar</translation>
    </message>
    <message>
      <source>Por: {channel}</source>
      <translation>Por: {channel}</translation>
    </message>
  </context>
  <context>
    <name>Receipts</name>
    <message>
      <source>Fecha de registro: {date}.</source>
      <translation>Fecha de registro: {date}.</translation>
    </message>
    <message>
      <source>Si falta información, se le pedirá a más tardar el {date} (5 días hábiles).</source>
      <translation>Si falta información, se le pedirá a más tardar el {date} (5 días hábiles).</translation>
    </message>
    <message>
      <source>Recibirá respuesta a más tardar el {date} (50 días hábiles).</source>
      <translation>Recibirá respuesta a más tardar el {date} (50 días hábiles).</translation>
    </message>
    <message>
      <source>Para saber cómo va: escanee el código con su teléfono, toque «Consultar un folio» en este kiosco o pregunte en el módulo de Trato Digno con su folio.</source>
      <translation>Para saber cómo va: escanee el código con su teléfono, toque «Consultar un folio» en este kiosco o pregunte en el módulo de Trato Digno con su folio.</translation>
    </message>
    <message>
      <source>Esta pantalla vuelve al inicio en 1 segundo.</source>
      <translation>Esta pantalla vuelve al inicio en 1 segundo.</translation>
    </message>
    <message>
      <source>Esta pantalla vuelve al inicio en {n} segundos.</source>
      <translation>Esta pantalla vuelve al inicio en {n} segundos.</translation>
    </message>
    <message>
      <source>No encontramos este folio en este kiosco. Si lo registró en otro lugar o hace poco, pregunte en el módulo de Trato Digno.</source>
      <translation>No encontramos este folio en este kiosco. Si lo registró en otro lugar o hace poco, pregunte en el módulo de Trato Digno.</translation>
    </message>
    <message>
      <source>Etapa: {stage}.</source>
      <translation>Etapa: {stage}.</translation>
    </message>
    <message>
      <source>Recibido en este kiosco; se enviará cuando haya red.</source>
      <translation>Recibido en este kiosco; se enviará cuando haya red.</translation>
    </message>
    <message>
      <source>Enviado al IMSS; su avance aparecerá aquí cuando este kiosco lo reciba.</source>
      <translation>Enviado al IMSS; su avance aparecerá aquí cuando este kiosco lo reciba.</translation>
    </message>
    <message>
      <source>Para más detalle, pregunte en el módulo de Trato Digno.</source>
      <translation>Para más detalle, pregunte en el módulo de Trato Digno.</translation>
    </message>
    <message>
      <source>Último cambio: {when}.</source>
      <translation>Último cambio: {when}.</translation>
    </message>
    <message>
      <source>Información al {when}.</source>
      <translation>Información al {when}.</translation>
    </message>
  </context>
  <context>
    <name>RegisterPage</name>
    <message>
      <source>Registrar un caso</source>
      <translation>Registrar un caso</translation>
    </message>
    <message>
      <source>¿Por qué medio llegó?</source>
      <translation>¿Por qué medio llegó?</translation>
    </message>
    <message>
      <source>¿Qué registra?</source>
      <translation>¿Qué registra?</translation>
    </message>
    <message>
      <source>Hay un caso sin terminar ({type}): toque el mismo tipo para seguir con él.</source>
      <translation>Hay un caso sin terminar ({type}): toque el mismo tipo para seguir con él.</translation>
    </message>
  </context>
  <context>
    <name>RegisteredPage</name>
    <message>
      <source>Folio:</source>
      <translation>Folio:</translation>
    </message>
    <message>
      <source>Volver al inicio</source>
      <translation>Volver al inicio</translation>
    </message>
    <message>
      <source>Registrar otro caso</source>
      <translation>Registrar otro caso</translation>
    </message>
  </context>
  <context>
    <name>ScrollPane</name>
    <message>
      <source>Subir</source>
      <translation>Subir</translation>
    </message>
    <message>
      <source>Ver más</source>
      <translation>Ver más</translation>
    </message>
  </context>
  <context>
    <name>SettingsPage</name>
    <message>
      <source>Ajustes del kiosco</source>
      <translation>Ajustes del kiosco</translation>
    </message>
    <message>
      <source>Solo el administrador del kiosco ve esta pantalla. Los cambios se guardan al tocar «Guardar».</source>
      <translation>Solo el administrador del kiosco ve esta pantalla. Los cambios se guardan al tocar «Guardar».</translation>
    </message>
    <message>
      <source>Dónde está este kiosco</source>
      <translation>Dónde está este kiosco</translation>
    </message>
    <message>
      <source>Unidad</source>
      <translation>Unidad</translation>
    </message>
    <message>
      <source>Módulo</source>
      <translation>Módulo</translation>
    </message>
    <message>
      <source>Tiempo sin uso antes de «¿Sigue ahí?»</source>
      <translation>Tiempo sin uso antes de «¿Sigue ahí?»</translation>
    </message>
    <message>
      <source>Tamaño de la pantalla</source>
      <translation>Tamaño de la pantalla</translation>
    </message>
    <message>
      <source>Elija la diagonal del panel si los botones no miden lo que deben. Se aplica al cerrar la sesión del personal.</source>
      <translation>Elija la diagonal del panel si los botones no miden lo que deben. Se aplica al cerrar la sesión del personal.</translation>
    </message>
    <message>
      <source>Automático</source>
      <translation>Automático</translation>
    </message>
    <message>
      <source>%1 pulgadas</source>
      <translation>%1 pulgadas</translation>
    </message>
    <message>
      <source>Idiomas que se ofrecen</source>
      <translation>Idiomas que se ofrecen</translation>
    </message>
    <message>
      <source>Impresora de comprobantes</source>
      <translation>Impresora de comprobantes</translation>
    </message>
    <message>
      <source>Para el personal de informática</source>
      <translation>Para el personal de informática</translation>
    </message>
    <message>
      <source>«Salir del modo quiosco» cierra el programa y deja el equipo sin kiosco hasta que se reinicie. Queda registrado.</source>
      <translation>«Salir del modo quiosco» cierra el programa y deja el equipo sin kiosco hasta que se reinicie. Queda registrado.</translation>
    </message>
    <message>
      <source>Salir del modo quiosco</source>
      <translation>Salir del modo quiosco</translation>
    </message>
    <message>
      <source>Sí, salir del modo quiosco</source>
      <translation>Sí, salir del modo quiosco</translation>
    </message>
    <message>
      <source>Volver</source>
      <translation>Volver</translation>
    </message>
    <message>
      <source>Guardar</source>
      <translation>Guardar</translation>
    </message>
    <message>
      <source>Sin inscribir</source>
      <translation>Sin inscribir</translation>
    </message>
    <message>
      <source>Ninguna</source>
      <translation>Ninguna</translation>
    </message>
    <message>
      <source>No hubo cambios.</source>
      <translation>No hubo cambios.</translation>
    </message>
    <message>
      <source>Guardado. Algunos valores los fija el sistema del equipo y volverán a los de antes al reiniciar.</source>
      <translation>Guardado. Algunos valores los fija el sistema del equipo y volverán a los de antes al reiniciar.</translation>
    </message>
    <message>
      <source>Guardado. Los cambios ya están en uso.</source>
      <translation>Guardado. Los cambios ya están en uso.</translation>
    </message>
    <message>
      <source>No se pudo guardar en el disco del kiosco. No se cambió nada.</source>
      <translation>No se pudo guardar en el disco del kiosco. No se cambió nada.</translation>
    </message>
    <message>
      <source>Un valor no es válido. No se cambió nada.</source>
      <translation>Un valor no es válido. No se cambió nada.</translation>
    </message>
    <message>
      <source>¿Seguro? Toque «Sí, salir del modo quiosco» para confirmar.</source>
      <translation>¿Seguro? Toque «Sí, salir del modo quiosco» para confirmar.</translation>
    </message>
  </context>
  <context>
    <name>StaffHub</name>
    <message>
      <source>Registrar un caso</source>
      <extracomment>The sections of the staff area: (key, label, page name, only for administrators). Each label is a literal for ``lupdate`` (translated when the hub is built).</extracomment>
      <translation>Registrar un caso</translation>
    </message>
    <message>
      <source>Casos del módulo</source>
      <translation>Casos del módulo</translation>
    </message>
    <message>
      <source>Tablero del módulo</source>
      <translation>Tablero del módulo</translation>
    </message>
    <message>
      <source>Exportar a una memoria USB</source>
      <translation>Exportar a una memoria USB</translation>
    </message>
    <message>
      <source>Envío de registros</source>
      <translation>Envío de registros</translation>
    </message>
    <message>
      <source>Ajustes del kiosco</source>
      <translation>Ajustes del kiosco</translation>
    </message>
  </context>
  <context>
    <name>StaffNotices</name>
    <message>
      <source>Personal: el disco del kiosco está lleno; no se pueden guardar registros.</source>
      <extracomment>Staff banner per condition code (``KnownError.code``, notifier codes, start-up states).</extracomment>
      <translation>Personal: el disco del kiosco está lleno; no se pueden guardar registros.</translation>
    </message>
    <message>
      <source>Personal: la carpeta de datos del kiosco es de solo lectura.</source>
      <translation>Personal: la carpeta de datos del kiosco es de solo lectura.</translation>
    </message>
    <message>
      <source>Personal: la base de datos del kiosco está ocupada.</source>
      <translation>Personal: la base de datos del kiosco está ocupada.</translation>
    </message>
    <message>
      <source>Personal: este kiosco no está dado de alta (trato-kiosk enroll).</source>
      <translation>Personal: este kiosco no está dado de alta (trato-kiosk enroll).</translation>
    </message>
    <message>
      <source>Personal: el kiosco no terminó de iniciar; revise la configuración y el registro.</source>
      <translation>Personal: el kiosco no terminó de iniciar; revise la configuración y el registro.</translation>
    </message>
    <message>
      <source>Personal: la base de datos estaba dañada. Se apartó sin borrarla y el kiosco empezó con una nueva. Avise a soporte técnico.</source>
      <translation>Personal: la base de datos estaba dañada. Se apartó sin borrarla y el kiosco empezó con una nueva. Avise a soporte técnico.</translation>
    </message>
    <message>
      <source>Personal: falla del kiosco (código {code}).</source>
      <translation>Personal: falla del kiosco (código {code}).</translation>
    </message>
    <message>
      <source>Se recuperaron {n} registros del archivo dañado.</source>
      <translation>Se recuperaron {n} registros del archivo dañado.</translation>
    </message>
    <message>
      <source>No pudimos guardar su respuesta. No se registró nada. Por favor avise al personal del módulo.</source>
      <translation>No pudimos guardar su respuesta. No se registró nada. Por favor avise al personal del módulo.</translation>
    </message>
    <message>
      <source>PIN incorrecto. Intente de nuevo.</source>
      <translation>PIN incorrecto. Intente de nuevo.</translation>
    </message>
    <message>
      <source>Demasiados intentos con un PIN incorrecto. Espere 1 minuto e intente de nuevo.</source>
      <translation>Demasiados intentos con un PIN incorrecto. Espere 1 minuto e intente de nuevo.</translation>
    </message>
    <message>
      <source>Demasiados intentos con un PIN incorrecto. Espere {n} minutos e intente de nuevo.</source>
      <translation>Demasiados intentos con un PIN incorrecto. Espere {n} minutos e intente de nuevo.</translation>
    </message>
    <message>
      <source>Sincronización no disponible: el kiosco no está dado de alta.</source>
      <translation>Sincronización no disponible: el kiosco no está dado de alta.</translation>
    </message>
  </context>
  <context>
    <name>StaffPage</name>
    <message>
      <source>Modo del personal</source>
      <translation>Modo del personal</translation>
    </message>
    <message>
      <source>Enviando registros</source>
      <translation>Enviando registros</translation>
    </message>
    <message>
      <source>Registros apartados por el servidor</source>
      <translation>Registros apartados por el servidor</translation>
    </message>
    <message>
      <source>Se conservan en el kiosco. Si soporte técnico corrigió la causa, use «Reintentar apartados».</source>
      <translation>Se conservan en el kiosco. Si soporte técnico corrigió la causa, use «Reintentar apartados».</translation>
    </message>
    <message>
      <source>Sincronizar ahora</source>
      <translation>Sincronizar ahora</translation>
    </message>
    <message>
      <source>Reintentar apartados</source>
      <translation>Reintentar apartados</translation>
    </message>
    <message>
      <source>Salir</source>
      <translation>Salir</translation>
    </message>
  </context>
  <context>
    <name>StaffRegistration</name>
    <message>
      <source>La fecha y la hora del hecho no pueden ser posteriores a este momento. Revise lo que escribió.</source>
      <translation>La fecha y la hora del hecho no pueden ser posteriores a este momento. Revise lo que escribió.</translation>
    </message>
    <message>
      <source>Falta el nombre de quien presenta la queja.</source>
      <translation>Falta el nombre de quien presenta la queja.</translation>
    </message>
    <message>
      <source>Para guardar datos personales, léale el aviso de privacidad a la persona y marque que aceptó.</source>
      <translation>Para guardar datos personales, léale el aviso de privacidad a la persona y marque que aceptó.</translation>
    </message>
    <message>
      <source>No se guardó nada: revise los datos marcados.</source>
      <translation>No se guardó nada: revise los datos marcados.</translation>
    </message>
  </context>
  <context>
    <name>StaffSettings</name>
    <message>
      <source>%1: escriba un número de segundos entre %2 y %3.</source>
      <translation>%1: escriba un número de segundos entre %2 y %3.</translation>
    </message>
    <message>
      <source>Pantallas de la persona (segundos)</source>
      <translation>Pantallas de la persona (segundos)</translation>
    </message>
    <message>
      <source>Modo del personal (segundos)</source>
      <translation>Modo del personal (segundos)</translation>
    </message>
  </context>
  <context>
    <name>StaffWording</name>
    <message>
      <source>Orientación</source>
      <translation>Orientación</translation>
    </message>
    <message>
      <source>Gestión</source>
      <translation>Gestión</translation>
    </message>
    <message>
      <source>Módulo</source>
      <extracomment>The order the register page offers the types in (the commonest first).</extracomment>
      <translation>Módulo</translation>
    </message>
    <message>
      <source>Teléfono 800</source>
      <translation>Teléfono 800</translation>
    </message>
    <message>
      <source>Kiosco con ayuda</source>
      <translation>Kiosco con ayuda</translation>
    </message>
    <message>
      <source>Otro</source>
      <translation>Otro</translation>
    </message>
    <message>
      <source>Resuelta en el módulo</source>
      <translation>Resuelta en el módulo</translation>
    </message>
    <message>
      <source>Canalizada a otra área</source>
      <translation>Canalizada a otra área</translation>
    </message>
    <message>
      <source>Requiere seguimiento</source>
      <translation>Requiere seguimiento</translation>
    </message>
    <message>
      <source>Administrador del kiosco</source>
      <translation>Administrador del kiosco</translation>
    </message>
    <message>
      <source>Hola, {name}</source>
      <translation>Hola, {name}</translation>
    </message>
    <message>
      <source>Sin certificación vigente en Buen Trato</source>
      <translation>Sin certificación vigente en Buen Trato</translation>
    </message>
    <message>
      <source>Certificación en Buen Trato desde el {since}</source>
      <translation>Certificación en Buen Trato desde el {since}</translation>
    </message>
    <message>
      <source>Certificación en Buen Trato desde el {since}, vigente hasta el {until}</source>
      <translation>Certificación en Buen Trato desde el {since}, vigente hasta el {until}</translation>
    </message>
    <message>
      <source>Número de empleado o PIN incorrecto. Intente de nuevo.</source>
      <translation>Número de empleado o PIN incorrecto. Intente de nuevo.</translation>
    </message>
    <message>
      <source>Escriba su número de empleado y su PIN.</source>
      <translation>Escriba su número de empleado y su PIN.</translation>
    </message>
    <message>
      <source>Revisando…</source>
      <translation>Revisando…</translation>
    </message>
    <message>
      <source>Falta la fecha del hecho: con la hora sola no se sabe cuándo fue.</source>
      <translation>Falta la fecha del hecho: con la hora sola no se sabe cuándo fue.</translation>
    </message>
    <message>
      <source>La fecha y la hora del hecho no pueden ser posteriores a este momento (en este kiosco: {now}). Revise lo que escribió.</source>
      <translation>La fecha y la hora del hecho no pueden ser posteriores a este momento (en este kiosco: {now}). Revise lo que escribió.</translation>
    </message>
    <message>
      <source>{type} registrada</source>
      <translation>{type} registrada</translation>
    </message>
    <message>
      <source>Reconocimiento registrado</source>
      <translation>Reconocimiento registrado</translation>
    </message>
    <message>
      <source>Dícteselo a la persona por teléfono, en grupos de cuatro.</source>
      <translation>Dícteselo a la persona por teléfono, en grupos de cuatro.</translation>
    </message>
    <message>
      <source>Entréguele el folio a la persona; con él puede consultar su caso.</source>
      <translation>Entréguele el folio a la persona; con él puede consultar su caso.</translation>
    </message>
    <message>
      <source>Ajustes guardados y aplicados. Aviso para soporte técnico: una variable de entorno fija {names}; al reiniciar, el kiosco usará la variable.</source>
      <translation>Ajustes guardados y aplicados. Aviso para soporte técnico: una variable de entorno fija {names}; al reiniciar, el kiosco usará la variable.</translation>
    </message>
    <message>
      <source>Ajustes guardados y aplicados.</source>
      <translation>Ajustes guardados y aplicados.</translation>
    </message>
    <message>
      <source>No se guardó nada: revise los valores marcados (por ejemplo, la pantalla va de 7 a 100 pulgadas, o de 60 a 400 puntos por pulgada; no ambos).</source>
      <translation>No se guardó nada: revise los valores marcados (por ejemplo, la pantalla va de 7 a 100 pulgadas, o de 60 a 400 puntos por pulgada; no ambos).</translation>
    </message>
    <message>
      <source>No se pudieron guardar los ajustes en el disco del kiosco. Avise a soporte técnico.</source>
      <translation>No se pudieron guardar los ajustes en el disco del kiosco. Avise a soporte técnico.</translation>
    </message>
  </context>
  <context>
    <name>SurveyFlow</name>
    <message>
      <source>Continuar</source>
      <translation>Continuar</translation>
    </message>
    <message>
      <source>Es opcional. Puede dejarlo en blanco y tocar «Enviar».</source>
      <translation>Es opcional. Puede dejarlo en blanco y tocar «Enviar».</translation>
    </message>
    <message>
      <source>Enviar</source>
      <translation>Enviar</translation>
    </message>
    <message>
      <source>Puede elegir varias, o ninguna.</source>
      <translation>Puede elegir varias, o ninguna.</translation>
    </message>
  </context>
  <context>
    <name>SurveyThanksPage</name>
    <message>
      <source>¡Gracias por su opinión!</source>
      <translation>¡Gracias por su opinión!</translation>
    </message>
    <message>
      <source>Su respuesta se guardó. Nos ayuda a mejorar el trato en esta unidad.</source>
      <translation>Su respuesta se guardó. Nos ayuda a mejorar el trato en esta unidad.</translation>
    </message>
    <message>
      <source>Lamentamos que le haya ido muy mal. ¿Quiere presentar una queja? Lo que ya nos dijo quedará escrito en ella.</source>
      <translation>Lamentamos que le haya ido muy mal. ¿Quiere presentar una queja? Lo que ya nos dijo quedará escrito en ella.</translation>
    </message>
    <message>
      <source>Sí, responder</source>
      <translation>Sí, responder</translation>
    </message>
    <message>
      <source>¿Nos ayuda con {n} preguntas más sobre su atención en esta unidad? Toma un minuto.</source>
      <translation>¿Nos ayuda con {n} preguntas más sobre su atención en esta unidad? Toma un minuto.</translation>
    </message>
    <message>
      <source>Sí, presentar una queja</source>
      <translation>Sí, presentar una queja</translation>
    </message>
    <message>
      <source>Terminar</source>
      <translation>Terminar</translation>
    </message>
  </context>
  <context>
    <name>SyncStatus</name>
    <message>
      <source>sin conexión con el servidor central</source>
      <extracomment>Sync error code (``SyncStatus.last_error``) -&gt; what went wrong, in a few words.</extracomment>
      <translation>sin conexión con el servidor central</translation>
    </message>
    <message>
      <source>el servidor central tardó demasiado en responder</source>
      <translation>el servidor central tardó demasiado en responder</translation>
    </message>
    <message>
      <source>no se pudo verificar el certificado del servidor central</source>
      <translation>no se pudo verificar el certificado del servidor central</translation>
    </message>
    <message>
      <source>el servidor central tiene un problema</source>
      <translation>el servidor central tiene un problema</translation>
    </message>
    <message>
      <source>el servidor central pidió esperar</source>
      <translation>el servidor central pidió esperar</translation>
    </message>
    <message>
      <source>respuesta inesperada del servidor central</source>
      <translation>respuesta inesperada del servidor central</translation>
    </message>
    <message>
      <source>la hora de este kiosco no coincide con la del servidor</source>
      <translation>la hora de este kiosco no coincide con la del servidor</translation>
    </message>
    <message>
      <source>el servidor no reconoce la firma de este kiosco</source>
      <translation>el servidor no reconoce la firma de este kiosco</translation>
    </message>
    <message>
      <source>el servidor no reconoce este kiosco</source>
      <translation>el servidor no reconoce este kiosco</translation>
    </message>
    <message>
      <source>error interno de sincronización</source>
      <translation>error interno de sincronización</translation>
    </message>
    <message>
      <source>Encuesta</source>
      <extracomment>Record kind of a set-aside record -&gt; what staff call it.</extracomment>
      <translation>Encuesta</translation>
    </message>
    <message>
      <source>Caso</source>
      <translation>Caso</translation>
    </message>
    <message>
      <source>Seguimiento de caso</source>
      <translation>Seguimiento de caso</translation>
    </message>
    <message>
      <source>el servidor lo rechazó</source>
      <extracomment>Why the server set a record aside.</extracomment>
      <translation>el servidor lo rechazó</translation>
    </message>
    <message>
      <source>choca con otro registro ya guardado en el servidor</source>
      <translation>choca con otro registro ya guardado en el servidor</translation>
    </message>
    <message>
      <source>la campaña no estaba abierta el día en que se respondió</source>
      <extracomment>A rejection's reason code (``SetAsideItem.reason_code``) -&gt; why, in staff's words (the server's detail is still shown for support).</extracomment>
      <translation>la campaña no estaba abierta el día en que se respondió</translation>
    </message>
    <message>
      <source>error de sincronización</source>
      <translation>error de sincronización</translation>
    </message>
    <message>
      <source>hace un momento</source>
      <translation>hace un momento</translation>
    </message>
    <message>
      <source>hace %n min</source>
      <translation>hace %n min</translation>
    </message>
    <message>
      <source>hace %n h</source>
      <translation>hace %n h</translation>
    </message>
    <message>
      <source>hace %n días</source>
      <translation>hace %n días</translation>
    </message>
    <message>
      <source>Este kiosco fue dado de baja por el servidor central y ya no envía registros. Los registros se conservan en el kiosco. Avise a soporte técnico para registrarlo de nuevo.</source>
      <translation>Este kiosco fue dado de baja por el servidor central y ya no envía registros. Los registros se conservan en el kiosco. Avise a soporte técnico para registrarlo de nuevo.</translation>
    </message>
    <message>
      <source>Este kiosco no está registrado con el servidor central.</source>
      <translation>Este kiosco no está registrado con el servidor central.</translation>
    </message>
    <message>
      <source>Enviando registros…</source>
      <translation>Enviando registros…</translation>
    </message>
    <message>
      <source>Todo enviado %1</source>
      <translation>Todo enviado %1</translation>
    </message>
    <message>
      <source>Aún no se ha sincronizado con el servidor central.</source>
      <translation>Aún no se ha sincronizado con el servidor central.</translation>
    </message>
    <message>
      <source>1 registro esperando red</source>
      <translation>1 registro esperando red</translation>
    </message>
    <message>
      <source>%n registros esperando red</source>
      <translation>%n registros esperando red</translation>
    </message>
    <message>
      <source>Sin red</source>
      <translation>Sin red</translation>
    </message>
    <message>
      <source>1 registro por enviar</source>
      <translation>1 registro por enviar</translation>
    </message>
    <message>
      <source>%n registros por enviar</source>
      <translation>%n registros por enviar</translation>
    </message>
    <message>
      <source>último envío correcto %1</source>
      <translation>último envío correcto %1</translation>
    </message>
    <message>
      <source>1 registro apartado por el servidor; revíselo con soporte</source>
      <translation>1 registro apartado por el servidor; revíselo con soporte</translation>
    </message>
    <message>
      <source>%n registros apartados por el servidor; revíselos con soporte</source>
      <translation>%n registros apartados por el servidor; revíselos con soporte</translation>
    </message>
    <message>
      <source>%1 (%2)</source>
      <translation>%1 (%2)</translation>
    </message>
    <message>
      <source>%1 s</source>
      <translation>%1 s</translation>
    </message>
    <message>
      <source>%1 min</source>
      <translation>%1 min</translation>
    </message>
    <message>
      <source>%1 h</source>
      <translation>%1 h</translation>
    </message>
    <message>
      <source>%1 días</source>
      <translation>%1 días</translation>
    </message>
    <message>
      <source>Versión %1</source>
      <translation>Versión %1</translation>
    </message>
    <message>
      <source>%1 (%2) · %3 · kiosco %4 · versión %5</source>
      <translation>%1 (%2) · %3 · kiosco %4 · versión %5</translation>
    </message>
    <message>
      <source>Kiosco</source>
      <translation>Kiosco</translation>
    </message>
    <message>
      <source>Último envío correcto</source>
      <translation>Último envío correcto</translation>
    </message>
    <message>
      <source>Todavía ninguno</source>
      <translation>Todavía ninguno</translation>
    </message>
    <message>
      <source>%1; el más antiguo es del %2</source>
      <translation>%1; el más antiguo es del %2</translation>
    </message>
    <message>
      <source>Registros por enviar</source>
      <translation>Registros por enviar</translation>
    </message>
    <message>
      <source>Registros apartados por el servidor</source>
      <translation>Registros apartados por el servidor</translation>
    </message>
    <message>
      <source>Último problema</source>
      <translation>Último problema</translation>
    </message>
    <message>
      <source>Ninguno</source>
      <translation>Ninguno</translation>
    </message>
    <message>
      <source>Diferencia con la hora del servidor</source>
      <translation>Diferencia con la hora del servidor</translation>
    </message>
    <message>
      <source>Sin dato todavía</source>
      <translation>Sin dato todavía</translation>
    </message>
    <message>
      <source>Próximo intento</source>
      <translation>Próximo intento</translation>
    </message>
    <message>
      <source>%1 · %2 · %3</source>
      <translation>%1 · %2 · %3</translation>
    </message>
    <message>
      <source>Detalle para soporte: %1</source>
      <translation>Detalle para soporte: %1</translation>
    </message>
    <message>
      <source>y %n más</source>
      <translation>y %n más</translation>
    </message>
  </context>
  <context>
    <name>TopBar</name>
    <message>
      <source>Trato Digno</source>
      <translation>Trato Digno</translation>
    </message>
    <message>
      <source>A+ Texto grande</source>
      <translation>A+ Texto grande</translation>
    </message>
    <message>
      <source>Alto contraste</source>
      <translation>Alto contraste</translation>
    </message>
    <message>
      <source>‹ Atrás</source>
      <translation>‹ Atrás</translation>
    </message>
    <message>
      <source>Paso {n} de {total}</source>
      <translation>Paso {n} de {total}</translation>
    </message>
  </context>
  <context>
    <name>TrendChart</name>
    <message>
      <source>Tendencia semanal del índice de satisfacción</source>
      <translation>Tendencia semanal del índice de satisfacción</translation>
    </message>
  </context>
</TS>