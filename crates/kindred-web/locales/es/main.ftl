# Aplicación web de Kindred — español. Cada id existe también en en/main.ftl.

## Plantilla
site-name = Kindred
title-error-prefix = Error:
skip-link = Saltar al contenido principal
nav-label = Cuenta
nav-home = Tu inicio
nav-login = Iniciar sesión
nav-signup = Registrarse
nav-logout = Cerrar sesión
nav-change-password = Cambiar la contraseña
nav-profile = Tu perfil
nav-matches = Tus emparejamientos
nav-settings = Ajustes
lang-switch-label = Idioma
footer-heading = Recursos de apoyo
footer-not-crisis = Kindred es apoyo entre pares, no ayuda en crisis.
footer-emergency = Si tú u otra persona están en peligro inmediato, llama ahora al número de emergencias local (112 en la UE, 911 en EE. UU. y Canadá, 999 en el Reino Unido).
optional = (opcional)
error-prefix = Error:
error-summary-title = Hay un problema

## Página de inicio
landing-title = Mentoría entre pares con personas que comparten tu experiencia
landing-intro = Kindred pone en contacto a personas que sufren discriminación, estigma o exclusión —sobre todo personas LGBTQ+— con mentoras y mentores que han vivido algo parecido.
landing-how-heading = Cómo funciona
landing-how-mentees = Quien busca mentoría cuenta lo que está viviendo y pide una persona mentora.
landing-how-mentors = Las personas mentoras cuentan qué pueden ofrecer y a cuántas personas pueden acompañar, y aceptan las propuestas que encajan.
landing-how-privacy = Tus datos de contacto permanecen ocultos hasta que la mentoría está activa, las experiencias privadas se usan para emparejar pero nunca se muestran, y puedes bloquear o denunciar a cualquiera.
landing-not-crisis-heading = Apoyo entre pares, no ayuda en crisis
landing-not-crisis = Las personas mentoras son voluntarias que comparten tu experiencia, no profesionales de la psicología ni servicios de emergencia. Si necesitas ayuda ahora, contacta con los servicios que aparecen al final de esta página.
landing-see-resources = Ver los recursos de apoyo
landing-signup = Registrarse
landing-login = Iniciar sesión
landing-have-code = ¿Ya te has registrado? Introduce el código del correo.

## Campos
field-email = Correo electrónico
field-password = Contraseña
field-new-password = Nueva contraseña
field-current-password = Contraseña actual
field-new-password-hint = Al menos 12 caracteres. Unas cuantas palabras sin relación entre sí son fáciles de recordar y difíciles de adivinar.
field-display-name = Nombre que se mostrará
field-display-name-hint = El nombre que verán tu mentora, mentor o persona mentorizada y el equipo de coordinación. No tiene que ser tu nombre legal.
field-pronouns = Pronombres
field-pronouns-hint = Por ejemplo: ella, él, elle.
field-role = ¿Qué te gustaría hacer?
role-choice-mentee = Quiero encontrar una persona mentora
role-choice-mentor = Quiero ser mentora o mentor
field-code = Código
field-code-hint = El código de 6 cifras del correo que te hemos enviado.
field-reset-code-hint = El código de 6 cifras del correo para restablecer la contraseña.

## Registro
signup-title = Registrarse
signup-intro = Crea tu cuenta. Te enviaremos un código por correo para confirmar tu dirección.
signup-submit = Registrarse
signup-have-account = ¿Ya tienes una cuenta?
sent-title = Revisa tu correo
sent-body = Si la dirección se puede usar, le hemos enviado un mensaje. Contiene un código que confirma tu dirección; es válido durante un tiempo limitado.
sent-spam = Si no llega nada en unos minutos, mira en la carpeta de correo no deseado.
sent-next = Introducir el código

## Verificación
verify-title = Confirma tu dirección de correo
verify-intro = Introduce la dirección con la que te registraste y el código del correo.
verify-submit = Confirmar e iniciar sesión
verify-no-code = ¿No tienes código? Regístrate de nuevo para recibir otro.

## Iniciar sesión
login-title = Iniciar sesión
login-submit = Iniciar sesión
login-forgot = ¿Has olvidado tu contraseña?
login-no-account = ¿Todavía no tienes cuenta?
login-failed = El correo o la contraseña no son correctos, o la dirección aún no está confirmada.

## Contraseñas
forgot-title = Restablecer la contraseña
forgot-intro = Introduce la dirección de tu cuenta. Si tiene una cuenta, le enviaremos un código para elegir una contraseña nueva.
forgot-submit = Enviar el código
forgot-have-code = ¿Ya tienes un código?
reset-title = Elige una contraseña nueva
reset-intro = Introduce tu dirección, el código del correo y tu nueva contraseña. Se cerrarán todas tus sesiones.
reset-submit = Guardar la contraseña nueva
password-title = Cambiar la contraseña
password-intro = Se cerrarán tus otras sesiones; esta seguirá abierta.
password-must-change = Has iniciado sesión con una contraseña de un solo uso. Elige tu propia contraseña para continuar.
password-submit = Cambiar la contraseña

## Inicio
home-title = Tu inicio
home-welcome = Te damos la bienvenida, { $name }
home-pronouns = Pronombres: { $pronouns }
home-roles-heading = Tus funciones
role-mentee = Mentorizada/o: buscas una persona mentora
role-mentor = Mentora/Mentor: acompañas a otras personas
role-coordinator = Coordinación: gestionas el programa
home-next-heading = Próximos pasos
home-next-profile = Descríbete en un perfil (pronto en la aplicación web).
home-next-request = Pide una persona mentora, o di a cuántas personas puedes acompañar (pronto en la aplicación web).
home-help = ¿Necesitas hablar con alguien ahora?

## Avisos tras una redirección
notice-logged-out = Has cerrado la sesión.
notice-session-ended = Tu sesión ha terminado. Vuelve a iniciar sesión.
notice-password-reset = Tu contraseña ha cambiado. Inicia sesión con la nueva.
notice-password-changed = Tu contraseña ha cambiado. Se han cerrado tus otras sesiones.
notice-choose-password = Tu dirección está confirmada. Como la dirección se registró más de una vez, no se guardó ninguna contraseña: elige una con «¿Has olvidado tu contraseña?» antes de volver a iniciar sesión.
notice-reset-sent = Si la dirección tiene una cuenta, le hemos enviado un código. Es válido durante un tiempo limitado.
notice-verified = Tu dirección está confirmada y has iniciado sesión.

## Errores de los campos
err-required = Escribe un valor.
err-too-long = Usa como máximo { $max } caracteres.
err-too-short = Usa al menos { $min } caracteres.
err-email = Escribe una dirección de correo como nombre@example.org.
err-whitespace = Escribe algo más que espacios.
err-control = Quita los caracteres de control.
err-invisible = Quita los caracteres invisibles o de dirección del texto.
err-choice = Elige una de las opciones.
err-current-password = Esta no es tu contraseña actual.
err-code = El código no es correcto, ha caducado o ya se ha usado.
err-invalid = Revisa este valor.

## Páginas de error
error-csrf-title = Este formulario ha caducado
error-csrf-body = No se pudo comprobar el formulario, así que no se ha cambiado nada. Vuelve atrás, recarga la página e inténtalo de nuevo.
error-bad-form-title = No se pudo leer este formulario
error-bad-form-body = No se ha cambiado nada. Vuelve atrás, recarga la página e inténtalo de nuevo.
error-not-found-title = Página no encontrada
error-not-found-body = No hay ninguna página en esta dirección.
error-rate-limited-title = Demasiados intentos
error-rate-limited-body = Espera { $seconds } segundos e inténtalo de nuevo.
error-unavailable-title = Kindred está muy ocupado
error-unavailable-body = Inténtalo de nuevo dentro de un momento.
error-internal-title = Algo ha salido mal
error-internal-body = El problema ha sido nuestro. Inténtalo de nuevo más tarde.
error-back-home = Ir a la página de inicio
